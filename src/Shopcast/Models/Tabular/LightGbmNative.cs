using System.Globalization;
using System.Runtime.InteropServices;

namespace Shopcast.Models.Tabular;

/// <summary>
/// A thin, hand-written binding to LightGBM's own C API (<c>include/LightGBM/c_api.h</c> of LightGBM 4.6.0), over the
/// <c>lib_lightgbm</c> native library that the Microsoft.ML.LightGbm package ships. Hand-written because ML.NET's
/// wrapper converts the trained booster into ML.NET trees and frees it, so LightGBM's native SHAP contributions
/// (<c>C_API_PREDICT_CONTRIB</c>) are out of reach through it, and its model file is an ML.NET zip rather than
/// LightGBM's text model. Only the calls <see cref="LightGbm"/> needs are bound; every return code is checked.
/// </summary>
internal static class LightGbmNative
{
    private const string Lib = "lib_lightgbm";

    // Constants of c_api.h.
    private const int DtypeFloat32 = 0;
    private const int RowMajor = 1;
    public const int PredictNormal = 0;
    public const int PredictRawScore = 1;
    public const int PredictContrib = 3;
    public const int ImportanceGain = 1;

    /// <summary>A LightGBM dataset (binned features and labels); freed with LGBM_DatasetFree.</summary>
    public sealed class Dataset : SafeHandle
    {
        public Dataset() : base(IntPtr.Zero, ownsHandle: true) { }
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() => LGBM_DatasetFree(handle) == 0;

        /// <summary>A dataset from a row-major float32 matrix; a validation set passes the training set as
        /// <paramref name="reference"/> so both are binned alike.</summary>
        public static Dataset FromMatrix(float[] values, int rows, int columns, float[] labels, string parameters, Dataset? reference)
        {
            if (values.Length != (long)rows * columns || labels.Length != rows)
                throw new ArgumentException($"a {rows} x {columns} matrix needs {(long)rows * columns} values and {rows} labels");
            Check(LGBM_DatasetCreateFromMat(values, DtypeFloat32, rows, columns, RowMajor, parameters,
                reference?.DangerousGetHandle() ?? IntPtr.Zero, out var set), "LGBM_DatasetCreateFromMat");
            GC.KeepAlive(reference);
            Check(LGBM_DatasetSetField(set, "label", labels, rows, DtypeFloat32), "LGBM_DatasetSetField(label)");
            return set;
        }

        /// <summary>Names the columns in the saved model (cosmetic: Shopcast maps columns by position). LightGBM
        /// refuses JSON punctuation in names, so it becomes '_'; if that makes two names equal, LightGBM's own
        /// Column_i names stay.</summary>
        public void SetFeatureNames(IReadOnlyList<string> names)
        {
            var clean = names.Select(n => new string(n.Select(c => char.IsWhiteSpace(c) || "\",:[]{}".Contains(c) ? '_' : c).ToArray())).ToArray();
            if (clean.Distinct().Count() != clean.Length) return;
            // UTF-8 by hand: the marshaller has no UTF-8 string arrays.
            var pointers = clean.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            try { Check(LGBM_DatasetSetFeatureNames(this, pointers, pointers.Length), "LGBM_DatasetSetFeatureNames"); }
            finally { foreach (var p in pointers) Marshal.FreeCoTaskMem(p); }
        }
    }

    /// <summary>A LightGBM booster (the trees); freed with LGBM_BoosterFree.</summary>
    public sealed class Booster : SafeHandle
    {
        public Booster() : base(IntPtr.Zero, ownsHandle: true) { }
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() => LGBM_BoosterFree(handle) == 0;

        public static Booster Create(Dataset train, string parameters)
        {
            Check(LGBM_BoosterCreate(train, parameters, out var b), "LGBM_BoosterCreate");
            return b;
        }

        /// <summary>Loads LightGBM's text model file; throws <see cref="LightGbmException"/> when LightGBM cannot read it.</summary>
        public static Booster FromModelFile(string path)
        {
            Check(LGBM_BoosterCreateFromModelfile(path, out _, out var b), "LGBM_BoosterCreateFromModelfile");
            return b;
        }

        /// <summary>A booster read back from <see cref="SaveModelToString"/>'s text: the model alone, with none of the
        /// training state (scores, gradients, histograms) and no tie to the training datasets.</summary>
        public static Booster FromModelString(string model)
        {
            Check(LGBM_BoosterLoadModelFromString(model, out _, out var b), "LGBM_BoosterLoadModelFromString");
            return b;
        }

        public void AddValidation(Dataset valid) => Check(LGBM_BoosterAddValidData(this, valid), "LGBM_BoosterAddValidData");

        /// <summary>One boosting round; false when LightGBM could not split any more (the round is not kept).</summary>
        public bool UpdateOneIter()
        {
            Check(LGBM_BoosterUpdateOneIter(this, out int finished), "LGBM_BoosterUpdateOneIter");
            return finished == 0;
        }

        public void RollbackOneIter() => Check(LGBM_BoosterRollbackOneIter(this), "LGBM_BoosterRollbackOneIter");

        public int CurrentIteration
        {
            get { Check(LGBM_BoosterGetCurrentIteration(this, out int it), "LGBM_BoosterGetCurrentIteration"); return it; }
        }

        public int FeatureCount
        {
            get { Check(LGBM_BoosterGetNumFeature(this, out int n), "LGBM_BoosterGetNumFeature"); return n; }
        }

        /// <summary>The metrics of the parameter string on data set <paramref name="dataIndex"/> (0 training, 1 the first validation set).</summary>
        public double[] Eval(int dataIndex)
        {
            Check(LGBM_BoosterGetEvalCounts(this, out int count), "LGBM_BoosterGetEvalCounts");
            var results = new double[count];
            Check(LGBM_BoosterGetEval(this, dataIndex, out int len, results), "LGBM_BoosterGetEval");
            return results[..len];
        }

        /// <summary>Predictions for a row-major float32 matrix, row after row: one value per row, or for
        /// <see cref="PredictContrib"/> one per column plus the expected value (bias) last.</summary>
        public double[] Predict(float[] values, int rows, int columns, int predictType)
        {
            if (values.Length != (long)rows * columns) throw new ArgumentException($"a {rows} x {columns} matrix needs {(long)rows * columns} values");
            long perRow = predictType == PredictContrib ? columns + 1 : 1;
            var result = new double[rows * perRow];
            if (rows == 0) return result;
            string parameters = $"num_threads={Environment.ProcessorCount}";
            Check(LGBM_BoosterPredictForMat(this, values, DtypeFloat32, rows, columns, RowMajor, predictType, 0, -1, parameters, out long len, result),
                "LGBM_BoosterPredictForMat");
            if (len != result.Length) throw new LightGbmException($"LGBM_BoosterPredictForMat returned {len} values where {result.Length} were expected");
            return result;
        }

        /// <summary>Total split gain (or split count) per feature over all kept rounds.</summary>
        public double[] FeatureImportance(int importanceType)
        {
            var result = new double[FeatureCount];
            Check(LGBM_BoosterFeatureImportance(this, 0, importanceType, result), "LGBM_BoosterFeatureImportance");
            return result;
        }

        /// <summary>Writes LightGBM's own text model (every kept round; importance in the file as split gain).</summary>
        public void SaveModel(string path) => Check(LGBM_BoosterSaveModel(this, 0, -1, ImportanceGain, path), "LGBM_BoosterSaveModel");

        /// <summary>The same text model as <see cref="SaveModel"/>, as a string: asked once for its length, then filled.</summary>
        public string SaveModelToString()
        {
            Check(LGBM_BoosterSaveModelToString(this, 0, -1, ImportanceGain, 0, out long length, null), "LGBM_BoosterSaveModelToString");
            var buffer = new byte[length];
            Check(LGBM_BoosterSaveModelToString(this, 0, -1, ImportanceGain, length, out length, buffer), "LGBM_BoosterSaveModelToString");
            return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length - 1); // the length counts the closing NUL
        }
    }

    /// <summary>Turns a failed call (return code other than 0) into an exception carrying LightGBM's own message.</summary>
    private static void Check(int rc, string call)
    {
        if (rc == 0) return;
        string message = Marshal.PtrToStringUTF8(LGBM_GetLastError()) ?? "no message";
        throw new LightGbmException(string.Create(CultureInfo.InvariantCulture, $"LightGBM {call} failed ({rc}): {message}"));
    }

    [DllImport(Lib)] private static extern IntPtr LGBM_GetLastError();

    [DllImport(Lib)] private static extern int LGBM_DatasetCreateFromMat([In] float[] data, int dataType, int nrow, int ncol, int isRowMajor,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string parameters, IntPtr reference, out Dataset handle);

    [DllImport(Lib)] private static extern int LGBM_DatasetSetField(Dataset handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string fieldName,
        [In] float[] fieldData, int numElement, int type);

    [DllImport(Lib)] private static extern int LGBM_DatasetSetFeatureNames(Dataset handle,
        [In] IntPtr[] featureNames, int numFeatureNames);

    [DllImport(Lib)] private static extern int LGBM_DatasetFree(IntPtr handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterCreate(Dataset trainData, [MarshalAs(UnmanagedType.LPUTF8Str)] string parameters, out Booster handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterCreateFromModelfile([MarshalAs(UnmanagedType.LPUTF8Str)] string filename,
        out int numIterations, out Booster handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterLoadModelFromString([MarshalAs(UnmanagedType.LPUTF8Str)] string model,
        out int numIterations, out Booster handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterFree(IntPtr handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterAddValidData(Booster handle, Dataset validData);

    [DllImport(Lib)] private static extern int LGBM_BoosterUpdateOneIter(Booster handle, out int isFinished);

    [DllImport(Lib)] private static extern int LGBM_BoosterRollbackOneIter(Booster handle);

    [DllImport(Lib)] private static extern int LGBM_BoosterGetCurrentIteration(Booster handle, out int iteration);

    [DllImport(Lib)] private static extern int LGBM_BoosterGetNumFeature(Booster handle, out int count);

    [DllImport(Lib)] private static extern int LGBM_BoosterGetEvalCounts(Booster handle, out int count);

    [DllImport(Lib)] private static extern int LGBM_BoosterGetEval(Booster handle, int dataIndex, out int length, [Out] double[] results);

    [DllImport(Lib)] private static extern int LGBM_BoosterPredictForMat(Booster handle, [In] float[] data, int dataType, int nrow, int ncol,
        int isRowMajor, int predictType, int startIteration, int numIteration, [MarshalAs(UnmanagedType.LPUTF8Str)] string parameter,
        out long length, [Out] double[] result);

    [DllImport(Lib)] private static extern int LGBM_BoosterFeatureImportance(Booster handle, int numIteration, int importanceType, [Out] double[] results);

    [DllImport(Lib)] private static extern int LGBM_BoosterSaveModel(Booster handle, int startIteration, int numIteration, int featureImportanceType,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string filename);

    [DllImport(Lib)] private static extern int LGBM_BoosterSaveModelToString(Booster handle, int startIteration, int numIteration, int featureImportanceType,
        long bufferLength, out long length, [Out] byte[]? model);
}

/// <summary>A LightGBM C API call failed; the message is LightGBM's own (LGBM_GetLastError).</summary>
internal sealed class LightGbmException(string message) : Exception(message);
