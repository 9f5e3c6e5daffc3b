using System.Globalization;

/// <summary>The benches' shared output: one JSON object per figure on stdout ({"figure","value","unit","baseline","ratio"}).</summary>
internal static class BenchOutput
{
    /// <summary>Where figures go: stdout (a bench that prints text too sends that to stderr).</summary>
    public static TextWriter Out { get; set; } = Console.Out;

    public static void Figure(string name, double value, string unit, double? baseline = null) =>
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"figure\": \"{name}\", \"value\": {value:0.####}, \"unit\": \"{unit}\", \"baseline\": {(baseline is { } b ? b.ToString("0.####", CultureInfo.InvariantCulture) : "null")}, \"ratio\": {(baseline is { } r && r != 0 ? (value / r).ToString("0.####", CultureInfo.InvariantCulture) : "null")}}}"));
}
