using Connector.Salesforce.Api;

namespace Connector.Salesforce.Tests.Api;

[TestFixture]
public sealed class BulkCsvTests
{
    [Test]
    public void Records_QuotedCellsAndRelationshipColumns_BecomeNestedRecordsLikeRestQueries()
    {
        var csv = "Id,Product2.Name,Description,Quantity,EndDate\r\n"
            + "802A,\"Platform, annual\",\"He said \"\"yes\"\"\nthen left\",10,\r\n"
            + "802B,Setup,,1,2026-12-31\r\n";

        var records = BulkCsv.Records(csv);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(2));
            Assert.That(records[0]["Product2"]!["Name"]!.GetValue<string>(), Is.EqualTo("Platform, annual"));
            Assert.That(records[0]["Description"]!.GetValue<string>(), Is.EqualTo("He said \"yes\"\nthen left"));
            Assert.That(records[0]["EndDate"], Is.Null, "an empty cell is null");
            Assert.That(records[1]["EndDate"]!.GetValue<string>(), Is.EqualTo("2026-12-31"));
        }
    }

    [Test]
    public void Records_RowWithTheWrongNumberOfCells_IsAClearErrorNotACrash()
    {
        var error = Assert.Throws<SalesforceApiException>(() => BulkCsv.Records("Id,Name\n1,a,b\n"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ErrorCode, Is.EqualTo("MALFORMED_RESPONSE"));
            Assert.That(error.Message, Does.Contain("3 cells under a header of 2"));
        }
    }

    [Test]
    public void Chunks_APageLargerThanAChunk_ComesInChunksOfAtMostTheSizeInRowOrder()
    {
        var csv = "Id,Account.Name\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"80{i},Acme {i}\n"));

        var chunks = BulkCsv.Chunks(csv, 2).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.Select(c => c.Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(chunks.SelectMany(c => c).Select(r => r["Account"]!["Name"]!.GetValue<string>()),
                Is.EqualTo(Enumerable.Range(1, 5).Select(i => $"Acme {i}")));
            Assert.That(BulkCsv.Chunks("Id,Name\n", 2), Is.Empty, "a header alone is no records");
        }
    }
}
