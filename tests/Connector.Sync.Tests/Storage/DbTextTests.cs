using System.Globalization;
using Connector.Storage;
using FsCheck;
using FsCheck.Fluent;

namespace Connector.Sync.Tests.Storage;

/// <summary>Stored dates are read by hand in the form the store writes; everything else reads as <c>DateOnly.ParseExact</c> would.</summary>
[TestFixture]
public sealed class DbTextTests
{
    [Test]
    public void ParseDate_AnyDayWritten_ReadsBackTheSameDay()
    {
        var days = Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(days.ToArbitrary(), day => DbText.ParseDate(DbText.Date(day)) == day));
    }

    [Test]
    public void Date_AnyDay_WritesWhatToStringWrites_AlsoWhenItsSlotHeldAnotherDay()
    {
        // Days 4,096 apart share a slot of the recent dates: each is written after the other has taken it.
        var days = Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber - 4_096).Select(DateOnly.FromDayNumber);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(days.ToArbitrary(), day =>
        {
            var other = day.AddDays(4_096);
            return new[] { day, other, day, other }.All(d => DbText.Date(d) == d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }));
    }

    [Test]
    public void Decimal_AnyValue_WritesWhatToStringWrites_AlsoAfterAnEqualValueOfAnotherScale()
    {
        // 1.5 and 1.50 are equal and hash alike, so they share a slot of the recent decimals; so do 0 and -0.
        var values = Gen.Choose(-1_000_000, 1_000_000).SelectMany(units => Gen.Choose(0, 12).Select(scale => new decimal(Math.Abs(units), 0, 0, units < 0, (byte)scale)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(values.ToArbitrary(), value =>
        {
            var rescaled = value * 1.000m;
            var negated = value == 0m ? -value : value;
            return new[] { value, rescaled, value, negated, rescaled }.All(v => DbText.Decimal(v) == v.ToString(CultureInfo.InvariantCulture));
        }));
    }

    [TestCase("2026-02-29")]
    [TestCase("2024-02-30")]
    [TestCase("2026-13-01")]
    [TestCase("2026-00-10")]
    [TestCase("2026-04-31")]
    [TestCase("0000-01-01")]
    [TestCase("2026-1-010")]
    [TestCase("2026/01/01")]
    [TestCase("2026-01-0x")]
    [TestCase("+026-01-01")]
    [TestCase("2026-01-01T00:00")]
    [TestCase("")]
    public void ParseDate_TextThatIsNotADay_ThrowsTheFormatExceptionParseExactThrows(string text)
    {
        Assert.Throws<FormatException>(() => DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Throws<FormatException>(() => DbText.ParseDate(text));
    }

    [Test]
    public void ParseDate_AnyTenCharacters_AgreesWithParseExact()
    {
        // Text built from digits, dashes and a few strangers, in the stored form's length, so most of it is near a date.
        var characters = Gen.Elements("0123456789--- x٣".ToCharArray());
        var texts = Gen.ArrayOf(characters, 10).Select(c => new string(c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5_000), Prop.ForAll(texts.ToArbitrary(), text => Outcome(() => DbText.ParseDate(text)) == Outcome(() => DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture))));
    }

    [TestCase(" 2026-03-01 ", "2026-03-01")]
    [TestCase("2026-03-01", "2026-03-01")]
    public void ParseDate_StoredOrPaddedText_ReadsTheDay(string text, string expected) =>
        Assert.That(DbText.ParseDate(text), Is.EqualTo(DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture)));

    private static string Outcome(Func<DateOnly> parse)
    {
        try
        {
            return parse().ToString("O", CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return "format";
        }
    }
}
