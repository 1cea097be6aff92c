using System.Globalization;
using System.Text;

namespace Shopcast.Data.Synthetic;

/// <summary>
/// SYNTHETIC data: a seeded simulation of a small web shop, for the offline quickstart and unit tests only.
/// Shoppers have latent tastes over categories; items sit on a ring inside their category and browsing tends to step
/// to nearby items (so sequences carry signal beyond popularity); every view may lead to a cart and a cart to a
/// purchase (a view -> cart -> purchase funnel whose rates vary by shopper). Nothing here is real behaviour.
/// </summary>
public sealed record SimulatedShopOptions
{
    public int Users { get; init; } = 3000;
    public int Categories { get; init; } = 20;
    public int ItemsPerCategory { get; init; } = 60;
    public double MeanSessionsPerUser { get; init; } = 4;
    public double MeanSessionLength { get; init; } = 6;
    public int Days { get; init; } = 30;
    public int Seed { get; init; } = 7;
}

public static class SimulatedShop
{
    /// <summary>The column mapping that reads <see cref="WriteCsv"/>'s file with <c>--format csv</c>.</summary>
    public const string Columns = "user=user_id,session=session_id,item=item_id,category=category,price=price,type=event_type,time=timestamp";

    public static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes the simulated log as CSV (header user_id,session_id,item_id,category,price,event_type,timestamp) and returns the event count.</summary>
    public static long WriteCsv(string path, SimulatedShopOptions? options = null)
    {
        var o = options ?? new SimulatedShopOptions();
        var rng = new Random(o.Seed);
        int nItems = o.Categories * o.ItemsPerCategory;
        // Zipf-like popularity inside each category; a price level per category.
        var popularity = new double[o.ItemsPerCategory];
        for (int r = 0; r < popularity.Length; r++) popularity[r] = 1.0 / Math.Pow(r + 1, 0.9);
        var popCdf = Cumulative(popularity);
        var price = new double[nItems];
        for (int c = 0; c < o.Categories; c++)
        {
            double level = Math.Exp(2 + 2 * rng.NextDouble());
            for (int r = 0; r < o.ItemsPerCategory; r++) price[c * o.ItemsPerCategory + r] = Math.Round(level * Math.Exp(0.3 * Normal(rng)), 2);
        }

        long count = 0;
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine("user_id,session_id,item_id,category,price,event_type,timestamp");
        for (int u = 0; u < o.Users; u++)
        {
            // Taste: a few favourite categories carry most of the weight.
            var taste = new double[o.Categories];
            for (int c = 0; c < o.Categories; c++) taste[c] = Math.Pow(rng.NextDouble(), 6);
            var tasteCdf = Cumulative(taste);
            double buyer = Math.Pow(rng.NextDouble(), 2); // funnel propensity
            int sessions = 1 + Poisson(rng, o.MeanSessionsPerUser - 1);
            var starts = Enumerable.Range(0, sessions).Select(_ => rng.NextDouble() * o.Days * 86400.0).Order().ToArray();
            for (int s = 0; s < sessions; s++)
            {
                double t = starts[s];
                int cat = Draw(rng, tasteCdf);
                int rank = Draw(rng, popCdf);
                int length = 1 + Poisson(rng, o.MeanSessionLength - 1);
                string session = $"u{u}-s{s}";
                var carted = new List<int>();
                for (int e = 0; e < length; e++)
                {
                    int item = cat * o.ItemsPerCategory + rank;
                    Write(w, u, session, item, cat, price[item], "view", t); count++;
                    if (rng.NextDouble() < 0.15 * buyer)
                    {
                        t += 5 + rng.NextDouble() * 20;
                        Write(w, u, session, item, cat, price[item], "cart", t); count++;
                        carted.Add(item);
                    }
                    t += Math.Exp(3.5 + 0.8 * Normal(rng)); // dwell, median ~33 s
                    double step = rng.NextDouble();
                    if (step < 0.6) rank = (rank + 1 + rng.Next(3)) % o.ItemsPerCategory;      // browse to a nearby item
                    else if (step < 0.85) rank = Draw(rng, popCdf);                              // a popular one in the category
                    else { cat = Draw(rng, tasteCdf); rank = Draw(rng, popCdf); }                // switch category by taste
                }
                foreach (var item in carted)
                    if (rng.NextDouble() < 0.5)
                    {
                        t += 10 + rng.NextDouble() * 60;
                        Write(w, u, session, item, item / o.ItemsPerCategory, price[item], "purchase", t); count++;
                    }
            }
        }
        return count;
    }

    private static void Write(StreamWriter w, int user, string session, int item, int cat, double price, string type, double t)
    {
        var time = Start.AddSeconds(t).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        w.Write("u"); w.Write(user); w.Write(','); w.Write(session); w.Write(",i"); w.Write(item); w.Write(",c"); w.Write(cat);
        w.Write(','); w.Write(price.ToString(CultureInfo.InvariantCulture)); w.Write(','); w.Write(type); w.Write(','); w.WriteLine(time);
    }

    private static double[] Cumulative(double[] w)
    {
        var c = new double[w.Length];
        double sum = 0;
        for (int i = 0; i < w.Length; i++) { sum += w[i]; c[i] = sum; }
        for (int i = 0; i < w.Length; i++) c[i] /= sum;
        return c;
    }

    private static int Draw(Random rng, double[] cdf)
    {
        int i = Array.BinarySearch(cdf, rng.NextDouble());
        return Math.Min(i < 0 ? ~i : i, cdf.Length - 1);
    }

    private static int Poisson(Random rng, double mean)
    {
        if (mean <= 0) return 0;
        double l = Math.Exp(-mean), p = 1; int k = 0;
        do { k++; p *= rng.NextDouble(); } while (p > l);
        return k - 1;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
