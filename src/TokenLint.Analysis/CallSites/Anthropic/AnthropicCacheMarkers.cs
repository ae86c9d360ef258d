using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>Anthropic's explicit cache breakpoints: <c>CacheControl = new CacheControlEphemeral { Ttl = … }</c> on tools, blocks and the request.</summary>
internal static class AnthropicCacheMarkers
{
    /// <summary>Breakpoints in the order Anthropic reads them: tools, system, messages, then the request-level one.</summary>
    public static List<CacheMarker> Of(ObjectSettings? parameters, List<PromptPart> parts)
    {
        var markers = new List<CacheMarker>();
        if (parameters?.Get("Tools") is { } tools)
        {
            foreach (var tool in PromptPartCollector.Elements(tools))
            {
                if (Of(ObjectSettings.Trace(tool)) is { } marker)
                {
                    markers.Add(new CacheMarker(marker.Syntax, marker.Ttl, CacheMarker.OnTools, marker.IsConditional));
                }
            }
        }

        for (int index = 0; index < parts.Count; index++)
        {
            if (parts[index].CacheMarker is { } marker)
            {
                markers.Add(new CacheMarker(marker.Syntax, marker.Ttl, index, marker.IsConditional));
            }
        }

        if (Of(parameters) is { } automatic)
        {
            markers.Add(new CacheMarker(automatic.Syntax, automatic.Ttl, CacheMarker.Automatic, automatic.IsConditional));
        }

        return markers;
    }

    /// <summary>The <c>CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h }</c> of a block, if any.</summary>
    public static CacheMarker? Of(ObjectSettings? settings)
    {
        if (settings?.Get("CacheControl") is not { } cacheControl || SdkSymbols.IsNullConstant(cacheControl))
        {
            return null;
        }

        bool conditional = ValueTracer.Unwrap(cacheControl) is IConditionalOperation or ICoalesceOperation;
        var control = ObjectSettings.Trace(cacheControl);
        var ttlValue = control?.Get("Ttl") ?? control?.Get("TTL");
        var ttl = control is null || (ttlValue is not null && ValueTracer.Unwrap(ttlValue) is not IFieldReferenceOperation)
            ? CacheTtl.Unknown
            : ttlValue is null ? CacheTtl.FiveMinutes
            : ValueTracer.Unwrap(ttlValue) is IFieldReferenceOperation { Field.Name: var ttlName } && ttlName.Equals("Ttl1h", System.StringComparison.OrdinalIgnoreCase) ? CacheTtl.OneHour
            : CacheTtl.FiveMinutes;
        var syntax = cacheControl.Syntax.Parent is AssignmentExpressionSyntax assignment ? assignment : cacheControl.Syntax;
        return new CacheMarker(syntax, ttl, partIndex: 0, conditional);
    }
}
