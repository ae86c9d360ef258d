using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenLint.Runtime;
using TokenLint.Runtime.Diagnostics;

namespace Microsoft.Extensions.AI;

/// <summary>Adds TokenLint's budgets to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class TokenBudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Refuses, before sending, any call that would take one of <paramref name="budget"/>'s limits past its cap.
    /// Place it below <c>UseFunctionInvocation</c> so that each round trip is checked.
    /// </summary>
    public static ChatClientBuilder UseTokenBudget(this ChatClientBuilder builder, TokenBudget budget)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(budget);
        return builder.Use((inner, services) => Create(inner, budget, services));
    }

    /// <summary>Enforces the <see cref="TokenBudget"/> registered in the pipeline's services (a singleton, so its caps hold across clients).</summary>
    public static ChatClientBuilder UseTokenBudget(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => Create(inner, services.GetRequiredService<TokenBudget>(), services));
    }

    /// <summary>
    /// Creates a budget, lets <paramref name="configure"/> add its limits, and enforces it. The budget is the
    /// pipeline's: <c>client.GetService&lt;TokenBudget&gt;()</c> returns it, to read its accounts.
    /// </summary>
    /// <example><code>builder.UseTokenBudget(b => b.Limit(BudgetScope.EachSession, maxDollars: 0.50m).Limit(BudgetScope.Total, maxDollars: 200m));</code></example>
    public static ChatClientBuilder UseTokenBudget(this ChatClientBuilder builder, Action<TokenBudget> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var budget = new TokenBudget();
        configure(budget);
        return builder.UseTokenBudget(budget);
    }

    private static TokenBudgetChatClient Create(IChatClient inner, TokenBudget budget, IServiceProvider services) =>
        new(inner,
            budget,
            TokenLintMetrics.FromServices(services),
            services.GetService<ILoggerFactory>()?.CreateLogger(typeof(TokenBudgetChatClient)));
}
