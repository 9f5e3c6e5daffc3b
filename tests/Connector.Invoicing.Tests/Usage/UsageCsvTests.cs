using Connector.Invoicing.Usage;

namespace Connector.Invoicing.Tests.Usage;

/// <summary>The usage file format of <c>connector usage import</c>: RFC 4180 CSV, a header naming the columns.</summary>
[TestFixture]
public sealed class UsageCsvTests
{
    private const string Line = "8025g0000000025AAA";

    [Test]
    public void Parse_QuotedValuesCrlfBlankLinesAndARepeatedRow_ReadsEachRecordOnce()
    {
        var csv = $"quantity,usageId,orderItemId,usageDate,unitOfMeasure\r\n"
            + $"12.5,\"u-1, first\",{Line},2026-11-02,\"Call \"\"long\"\"\"\r\n"
            + "\r\n"
            + $"-2,u-2,{Line},2026-11-03,\r\n"
            + $"12.5,\"u-1, first\",{Line},2026-11-02,\"Call \"\"long\"\"\"\r\n";

        var (records, problems) = UsageCsv.Parse(new StringReader(csv), "f.csv");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(records.Select(r => (r.Id, r.Quantity, r.UnitOfMeasure)), Is.EqualTo(new[] { ("u-1, first", 12.5m, (string?)"Call \"long\""), ("u-2", -2m, null) }));
            Assert.That(records[1].Source, Is.EqualTo("f.csv line 4"));
        }
    }

    [Test]
    public void Parse_BadHeaderAndRows_NamesEveryProblemWithItsLineAndShowsUnprintablesAsQuestionMarks()
    {
        var header = UsageCsv.Parse(new StringReader("usageId,orderItemId,when,quantity,\u0001\u0002x\n"), "f.csv").Problems;
        var rows = UsageCsv.Parse(new StringReader($"usageId,orderItemId,usageDate,quantity\nu-1,{Line},2026-13-01,1\nu-2,802,2026-01-01,1,5\nu-3,802xyz,2026-01-01,1.0000000001\nu-1,{Line},2026-01-01,2\n"), "f.csv").Problems;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(header, Is.EqualTo(new[]
            {
                "line 1: unknown column 'when'; the columns are usageId, orderItemId, usageDate, quantity, unitOfMeasure, matchingAttribute",
                "line 1: unknown column '??x'; the columns are usageId, orderItemId, usageDate, quantity, unitOfMeasure, matchingAttribute",
                "line 1: required column 'usageDate' is missing",
            }));
            Assert.That(rows, Has.Some.StartsWith("line 2: usageDate '2026-13-01' is not a date"));
            Assert.That(rows, Has.Some.EqualTo("line 3: 5 values for 4 columns"));
            Assert.That(rows, Has.Some.StartsWith("line 4: orderItemId '802xyz' is not a Salesforce record id"));
            Assert.That(rows, Has.Some.StartsWith("line 4: quantity '1.0000000001' is not a decimal"));
            Assert.That(rows, Has.None.Contains("line 5"), "u-1's first row had a problem, so line 5 is its first good row");
        }
    }
}
