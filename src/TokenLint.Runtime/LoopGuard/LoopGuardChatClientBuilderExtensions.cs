using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenLint.Runtime;
using TokenLint.Runtime.Diagnostics;

namespace Microsoft.Extensions.AI;

/// <summary>Adds TokenLint's loop guard to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class LoopGuardChatClientBuilderExtensions
{
    /// <summary>
    /// Fails, without sending it, the Nth identical request within a window (default: the 5th within a minute).
    /// Place it above <c>UseFunctionInvocation</c> to see each user-level request, or below it to see each round trip.
    /// </summary>
    public static ChatClientBuilder UseLoopGuard(this ChatClientBuilder builder, Action<LoopGuardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LoopGuardOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) =>
            new LoopGuardChatClient(
                inner,
                options,
                TokenLintMetrics.FromServices(services),
                services.GetService<ILoggerFactory>()?.CreateLogger(typeof(LoopGuardChatClient))));
    }
}
