using Connector.Invoicing.Receivables;
using Connector.Invoicing.Usage;

namespace Connector.Invoicing.Tests.Usage;

/// <summary>The mapping notes of the usage contract: rates in processing order, touching bounds normalised and reported.</summary>
[TestFixture]
public sealed class OrgConsumptionScheduleTests
{
    [Test]
    public void Build_TouchingBoundsInProcessingOrder_MakesUpperBoundsInclusiveAndSaysWhatChanged()
    {
        // Arrange: rates written as Stripe's connector tests write them (1-10, 10-20, 20-), listed out of order.
        OrgRate[] rates =
        [
            new("r3", 3, 20m, null, 1m, "PerUnit"),
            new("r1", 1, 1m, 10m, 3m, "PerUnit"),
            new("r2", 2, 10m, 20m, 2m, "FlatFee"),
        ];

        // Act
        var (schedule, changes) = OrgConsumptionSchedule.Build("Slab", 1, "Quarter", "GB", null, rates);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(schedule.Rates.Select(r => r.Bounds), Is.EqualTo(new[] { "1..10", "11..20", "21.." }));
            Assert.That(schedule.Rates.Select(r => r.PricingMethod), Is.EqualTo(new[] { PricingMethod.PerUnit, PricingMethod.FlatFee, PricingMethod.PerUnit }));
            Assert.That((int)schedule.Frequency, Is.EqualTo(3));
            Assert.That(changes, Has.Count.EqualTo(2));
            Assert.That(changes[0], Does.Contain("rate r2: lower bound 10 touches the previous rate's upper bound").And.Contain("starts at 11"));
            Assert.That(schedule.Rate(25m).Exact, Is.EqualTo((10m * 3m) + 2m + (5m * 1m)), "10 × 3, the flat fee 2, 5 × 1");
        }
    }

    [TestCase(1, 50, 52, "Rate 2 starts at 52; it must start at 51")]
    [TestCase(1, 50, 40, "Rate 2 starts at 40; it must start at 51")]
    [TestCase(5, 50, 51, "Rate 1 starts at 5; it must start at 0 or 1")]
    public void Build_GapOverlapOrLateStart_IsRefusedNamingTheRate(int firstLower, int firstUpper, int secondLower, string expected)
    {
        OrgRate[] rates = [new("a", 1, firstLower, firstUpper, 1m, "PerUnit"), new("b", 2, secondLower, null, 1m, "PerUnit")];

        var error = Assert.Throws<BillingRuleException>(() => OrgConsumptionSchedule.Build("Range", 1, "Month", null, null, rates));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Build_FractionalBoundOrUnknownTypeOrTerm_IsRefusedWithWhatIsAllowed()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => OrgConsumptionSchedule.Build("Range", 1, "Month", null, null, [new("a", 1, 0.5m, null, 1m, "PerUnit")]),
                Throws.TypeOf<BillingRuleException>().With.Message.Contains("lower bound 0.5 is not a whole number"));
            Assert.That(() => OrgConsumptionSchedule.Build("Tiered", 1, "Month", null, null, [new("a", 1, 1m, null, 1m, "PerUnit")]),
                Throws.TypeOf<BillingRuleException>().With.Message.Contains("type 'Tiered' is not Range or Slab"));
            Assert.That(() => OrgConsumptionSchedule.Build("Range", 2, "Month", null, null, [new("a", 1, 1m, null, 1m, "PerUnit")]),
                Throws.TypeOf<BillingRuleException>().With.Message.Contains("1, 3, 6 or 12 months"));
            Assert.That(() => OrgConsumptionSchedule.Build("Range", 1, "Month", null, null, [new("a", 1, 1m, 100m, 1m, "PerUnit")]),
                Throws.TypeOf<BillingRuleException>().With.Message.Contains("catch-all"));
        }
    }
}
