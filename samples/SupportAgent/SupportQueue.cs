namespace SupportAgent;

/// <summary>The team a ticket is routed to.</summary>
public enum SupportQueue
{
    Billing,
    Technical,
    Account,
    Other,
}
