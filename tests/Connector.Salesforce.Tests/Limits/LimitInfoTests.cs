using Connector.Salesforce.Limits;

namespace Connector.Salesforce.Tests.Limits;

[TestFixture]
public sealed class LimitInfoTests
{
    [Test]
    public void Parse_OrgUsageOnly_ShareOfTheOrgsAllocation()
    {
        var info = LimitInfo.Parse("api-usage=2500/5000");

        Assert.That(info, Is.EqualTo(new LimitInfo(2500, 5000)));
        Assert.That(info!.UsedShare, Is.EqualTo(0.5));
    }

    [Test]
    public void Parse_PerAppLimitTighterThanTheOrgs_TheAppsShareCounts()
    {
        // Documented form: both usages, the app's with its name.
        var info = LimitInfo.Parse("api-usage=18/5000, per-app-api-usage=200/250(appName=connector)");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(info, Is.EqualTo(new LimitInfo(18, 5000, 200, 250)));
            Assert.That(info!.UsedShare, Is.EqualTo(0.8));
            Assert.That(info.ToString(), Is.EqualTo("18/5,000 (this app 200/250)"));
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("per-app-api-usage=1/2(appName=x)")]
    [TestCase("api-usage=lots")]
    public void Parse_NoOrgUsage_IsNull(string? header) => Assert.That(LimitInfo.Parse(header), Is.Null);
}
