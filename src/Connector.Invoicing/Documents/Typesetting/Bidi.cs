using System.Buffers;
using System.Globalization;
using System.Text;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// The part of the Unicode bidirectional algorithm (UAX #9) a line of an invoice needs: the paragraph direction from
/// the first strong character (P2-P3), embedding levels for right-to-left letters, digits and neutrals (W/N/I rules,
/// without explicit embeddings, which invoice data never carries), and the visual order of runs (L2).
/// </summary>
internal static class Bidi
{
    private enum Kind
    {
        LeftToRight,
        RightToLeft,
        Number,
        Neutral,
        Mark,
    }

    /// <summary>The embedding level of each UTF-16 unit of <paramref name="text"/> (even: left to right, odd: right to left).</summary>
    public static byte[] Levels(string text)
    {
        var kinds = new Kind[text.Length];
        foreach (var (index, rune) in Runes(text))
        {
            kinds[index] = KindOf(rune);
            if (rune.Utf16SequenceLength == 2)
            {
                kinds[index + 1] = Kind.Mark;
            }
        }

        var paragraph = kinds.FirstOrDefault(k => k is Kind.LeftToRight or Kind.RightToLeft) == Kind.RightToLeft ? (byte)1 : (byte)0;
        var levels = new byte[text.Length];
        var lastStrong = paragraph == 1 ? Kind.RightToLeft : Kind.LeftToRight;
        for (var i = 0; i < text.Length; i++)
        {
            switch (kinds[i])
            {
                case Kind.RightToLeft:
                    levels[i] = 1;
                    lastStrong = Kind.RightToLeft;
                    break;
                case Kind.LeftToRight:
                    levels[i] = paragraph == 0 ? (byte)0 : (byte)2;
                    lastStrong = Kind.LeftToRight;
                    break;
                case Kind.Number: // W7/I1-I2: digits after left-to-right text are left to right, else a left-to-right run inside the right-to-left text
                    levels[i] = lastStrong == Kind.LeftToRight ? (paragraph == 0 ? (byte)0 : (byte)2) : (byte)2;
                    break;
                case Kind.Mark:
                    levels[i] = i > 0 ? levels[i - 1] : paragraph;
                    break;
            }
        }

        // N1-N2: a run of neutrals between two characters of the same direction takes it (numbers count as right to
        // left there); otherwise the paragraph's.
        for (var i = 0; i < text.Length;)
        {
            if (kinds[i] != Kind.Neutral)
            {
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && kinds[end] is Kind.Neutral or Kind.Mark)
            {
                end++;
            }

            var before = i == 0 ? paragraph % 2 == 1 : IsRightToLeft(kinds[i - 1], levels[i - 1]);
            var after = end == text.Length ? paragraph % 2 == 1 : IsRightToLeft(kinds[end], levels[end]);
            var level = before == after ? (before ? (byte)1 : (paragraph == 0 ? (byte)0 : (byte)2)) : paragraph;
            Array.Fill(levels, level, i, end - i);
            i = end;
        }

        return levels;
    }

    /// <summary>
    /// The visual order of runs given each run's level (L2): from the highest level down to the lowest odd one, every
    /// maximal sequence of runs at that level or above is reversed.
    /// </summary>
    public static int[] VisualOrder(IReadOnlyList<byte> runLevels)
    {
        var order = Enumerable.Range(0, runLevels.Count).ToArray();
        if (runLevels.Count == 0)
        {
            return order;
        }

        var highest = runLevels.Max();
        var lowestOdd = runLevels.Where(l => l % 2 == 1).DefaultIfEmpty((byte)(highest + 1)).Min();
        for (var level = highest; level >= lowestOdd && level > 0; level--)
        {
            for (var i = 0; i < order.Length;)
            {
                if (runLevels[order[i]] < level)
                {
                    i++;
                    continue;
                }

                var end = i;
                while (end < order.Length && runLevels[order[end]] >= level)
                {
                    end++;
                }

                Array.Reverse(order, i, end - i);
                i = end;
            }
        }

        return order;
    }

    /// <summary>Each rune of the text with its UTF-16 index; an unpaired surrogate reads as U+FFFD.</summary>
    public static IEnumerable<(int Index, Rune Rune)> Runes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                used = 1;
            }

            yield return (i, rune);
            i += used;
        }
    }

    private static bool IsRightToLeft(Kind kind, byte level) => kind == Kind.RightToLeft || (kind == Kind.Number && level == 2) || level % 2 == 1;

    private static Kind KindOf(Rune rune)
    {
        var value = rune.Value;
        if (value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF))
        {
            return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark ? Kind.Mark
                : Rune.IsDigit(rune) ? Kind.Number : Kind.RightToLeft;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format => Kind.Mark,
            UnicodeCategory.DecimalDigitNumber => Kind.Number,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.LetterNumber => Kind.LeftToRight,
            _ => Kind.Neutral,
        };
    }
}
