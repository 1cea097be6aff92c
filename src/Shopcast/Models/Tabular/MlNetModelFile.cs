using Microsoft.ML;
using Shopcast.Data;

namespace Shopcast.Models.Tabular;

/// <summary>Saves and loads an ML.NET model file in a bundle, turning a missing or broken file into one clear error.</summary>
internal static class MlNetModelFile
{
    public static void Save(MLContext ml, ITransformer? model, string modelName, string directory, string file) =>
        ml.Model.Save(model ?? throw new InvalidOperationException($"{modelName} is not fitted"), null, Path.Combine(directory, file));

    public static ITransformer Load(MLContext ml, string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle '{directory}': {file} is missing");
        try { return ml.Model.Load(path, out _); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or IOException)
        {
            throw new ShopcastInputException($"model bundle '{directory}': {file} is not a readable ML.NET model ({e.Message.Split('\n')[0]})");
        }
    }
}
