using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Training;

/// <summary>
/// A copy of a network's weights at its best validation epoch, put back when training ends (early stopping restores
/// the best model, not the last). The copies are detached clones, disposed when replaced or restored.
/// </summary>
public sealed class BestWeights : IDisposable
{
    private Dictionary<string, Tensor>? _copy;

    /// <summary>Replaces the kept copy with the module's current weights.</summary>
    public void Take(nn.Module module)
    {
        Dispose();
        _copy = module.state_dict().ToDictionary(kv => kv.Key, kv => { using var d = kv.Value.detach(); return d.clone(); });
    }

    /// <summary>Loads the kept copy into the module; false (and nothing changes) when no copy was taken.</summary>
    public bool RestoreInto(nn.Module module)
    {
        if (_copy is null) return false;
        module.load_state_dict(_copy);
        Dispose();
        return true;
    }

    public void Dispose()
    {
        if (_copy is null) return;
        foreach (var t in _copy.Values) t.Dispose();
        _copy = null;
    }
}
