namespace Shopcast.Models.Text;

/// <summary>
/// The float weights (graph initializers) of an ONNX model, by name, so a TorchSharp network can start from a
/// pretrained export. MatMul weights that the exporter left anonymous ("927") are named after the bias added to their
/// product ("encoder.layer.0.attention.self.query.bias" gives "...query.weight") and transposed to torch's
/// [out, in] layout, so the names match the original PyTorch module's state dict.
/// </summary>
/// <remarks>
/// A minimal reader of the ONNX protobuf (ModelProto.graph -> GraphProto.node and .initializer -> TensorProto), written
/// by hand: ONNX Runtime does not expose initializers, and the one served ONNX parser (OnnxSharp) is unmaintained;
/// only five message fields are needed, from onnx.proto's stable field numbers.
/// </remarks>
internal static class OnnxInitializers
{
    public sealed record Tensor(long[] Dims, float[] Values);

    public static Dictionary<string, Tensor> Read(byte[] model)
    {
        var graph = Fields(model, 0, model.Length).First(f => f.Number == 7).Span;             // ModelProto.graph
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var nodes = new List<(string Op, List<string> Inputs, List<string> Outputs)>();
        foreach (var f in Fields(model, graph.Start, graph.End))
        {
            if (f.Number == 5) { var (name, t) = ReadTensor(model, f.Span); if (t is not null) tensors[name] = t; } // GraphProto.initializer
            else if (f.Number == 1) nodes.Add(ReadNode(model, f.Span));                                          // GraphProto.node
        }
        // Name each anonymous MatMul weight after the bias of the Add that consumes the product.
        var addsByInput = nodes.Where(n => n.Op == "Add").SelectMany(n => n.Inputs.Select(i => (i, n))).ToLookup(x => x.i, x => x.n);
        foreach (var mm in nodes.Where(n => n.Op == "MatMul" && n.Inputs.Count == 2 && tensors.ContainsKey(n.Inputs[1])))
        {
            var bias = addsByInput[mm.Outputs[0]].SelectMany(a => a.Inputs).FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal));
            if (bias is null) continue;
            var w = tensors[mm.Inputs[1]];
            if (w.Dims.Length != 2) continue;
            tensors[bias[..^5] + ".weight"] = Transpose(w);
        }
        return tensors;
    }

    private static Tensor Transpose(Tensor w)
    {
        long rows = w.Dims[0], cols = w.Dims[1];
        var t = new float[w.Values.Length];
        for (long r = 0; r < rows; r++) for (long c = 0; c < cols; c++) t[c * rows + r] = w.Values[r * cols + c];
        return new Tensor(new[] { cols, rows }, t);
    }

    private static (string Name, Tensor? Tensor) ReadTensor(byte[] b, (int Start, int End) span)
    {
        var dims = new List<long>(); string name = ""; int dataType = 0; float[]? values = null;
        foreach (var f in Fields(b, span.Start, span.End))
            switch (f.Number)
            {
                case 1 when f.Wire == 0: dims.Add((long)f.Value); break;                        // dims (unpacked)
                case 1 when f.Wire == 2: dims.AddRange(PackedVarints(b, f.Span)); break;       // dims (packed)
                case 2: dataType = (int)f.Value; break;                                        // data_type (1 = FLOAT)
                case 4 when f.Wire == 2: values = Floats(b, f.Span); break;                    // float_data (packed)
                case 8: name = System.Text.Encoding.UTF8.GetString(b, f.Span.Start, f.Span.End - f.Span.Start); break;
                case 9: values = Floats(b, f.Span); break;                                     // raw_data, little-endian
            }
        return (name, dataType == 1 && values is not null ? new Tensor(dims.ToArray(), values) : null);
    }

    private static (string Op, List<string> Inputs, List<string> Outputs) ReadNode(byte[] b, (int Start, int End) span)
    {
        var inputs = new List<string>(); var outputs = new List<string>(); string op = "";
        foreach (var f in Fields(b, span.Start, span.End))
        {
            string Text() => System.Text.Encoding.UTF8.GetString(b, f.Span.Start, f.Span.End - f.Span.Start);
            if (f.Number == 1) inputs.Add(Text()); else if (f.Number == 2) outputs.Add(Text()); else if (f.Number == 4) op = Text();
        }
        return (op, inputs, outputs);
    }

    private static float[] Floats(byte[] b, (int Start, int End) span) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(b.AsSpan(span.Start, span.End - span.Start)).ToArray();

    private static IEnumerable<long> PackedVarints(byte[] b, (int Start, int End) span)
    {
        for (int i = span.Start; i < span.End;) yield return (long)Varint(b, ref i);
    }

    private readonly record struct Field(int Number, int Wire, ulong Value, (int Start, int End) Span);

    private static IEnumerable<Field> Fields(byte[] b, int start, int end)
    {
        for (int i = start; i < end;)
        {
            ulong key = Varint(b, ref i);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return new Field(number, wire, Varint(b, ref i), default); break;
                case 1: yield return new Field(number, wire, 0, (i, i + 8)); i += 8; break;
                case 2: { int len = (int)Varint(b, ref i); yield return new Field(number, wire, 0, (i, i + len)); i += len; break; }
                case 5: yield return new Field(number, wire, 0, (i, i + 4)); i += 4; break;
                default: throw new InvalidDataException($"ONNX model: unsupported protobuf wire type {wire} at byte {i}");
            }
        }
    }

    private static ulong Varint(byte[] b, ref int i)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte c = b[i++];
            v |= (ulong)(c & 0x7F) << shift;
            if (c < 0x80) return v;
        }
    }
}
