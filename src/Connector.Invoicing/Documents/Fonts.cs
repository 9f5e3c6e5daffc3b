using SkiaSharp;

namespace Connector.Invoicing.Documents;

/// <summary>
/// The fonts the repository ships (DejaVu Sans, see licenses/LICENSE-DejaVu.txt). Loaded explicitly: SkiaSharp's
/// NoDependencies native assets have an empty default typeface, which would silently drop every glyph.
/// </summary>
internal static class Fonts
{
    private static readonly Lazy<SKTypeface> RegularTypeface = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldTypeface = new(() => Load("DejaVuSans-Bold.ttf"));

    public static SKTypeface Regular => RegularTypeface.Value;

    public static SKTypeface Bold => BoldTypeface.Value;

    private static SKTypeface Load(string fileName)
    {
        var resource = "Connector.Invoicing.Fonts." + fileName;
        using var stream = typeof(Fonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded font {resource} is missing.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Font {fileName} could not be loaded.");
    }
}
