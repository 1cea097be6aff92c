namespace Shopcast.Data;

/// <summary>What a shopper did. Every reader maps its own vocabulary onto these.</summary>
public enum EventType
{
    View,
    Cart,
    RemoveFromCart,
    Favourite,
    Purchase,
    Review,
    Other,
}

/// <summary>
/// One row of the single event schema every reader produces. Ids stay strings as the source wrote them
/// (a REES46 category id does not fit a double; Amazon ids are opaque); models map them to dense indices.
/// </summary>
/// <param name="TimeMs">UTC time in Unix milliseconds. For formats without clock time (one sequence per line)
/// it is the position in the sequence, and the store records that time is ordinal.</param>
public sealed record Event(
    string User,
    string Item,
    long TimeMs,
    EventType Type,
    string? Session = null,
    string? Category = null,
    string? Brand = null,
    double? Price = null,
    double? Value = null);

public static class EventTypes
{
    /// <summary>Maps the words the public formats use onto <see cref="EventType"/>; null when unknown.</summary>
    public static EventType? Parse(string word) => word.Trim().ToLowerInvariant() switch
    {
        "view" or "pv" or "click" or "clicks" or "detail_view" or "page_view" => EventType.View,
        "cart" or "add_to_cart" or "addtocart" or "add-to-cart" => EventType.Cart,
        "remove_from_cart" or "removefromcart" => EventType.RemoveFromCart,
        "fav" or "favourite" or "favorite" or "wishlist" or "like" => EventType.Favourite,
        "buy" or "purchase" or "order" or "transaction" or "conversion" => EventType.Purchase,
        "review" or "rating" or "rate" => EventType.Review,
        "other" => EventType.Other,
        _ => null,
    };

    public static string Name(EventType t) => t switch
    {
        EventType.View => "view",
        EventType.Cart => "cart",
        EventType.RemoveFromCart => "remove_from_cart",
        EventType.Favourite => "favourite",
        EventType.Purchase => "purchase",
        EventType.Review => "review",
        _ => "other",
    };
}
