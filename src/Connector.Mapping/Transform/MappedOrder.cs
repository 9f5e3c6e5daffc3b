using Connector.Invoicing.Orders;

namespace Connector.Mapping.Transform;

/// <summary>An Order record after mapping: its billing header and the account it bills.</summary>
internal sealed record MappedOrder(OrderHeader Header, BillingAccount Account);
