namespace TokenLint.Runtime;

/// <summary>Why a request went to the provider without the cache looking it up (a bounded metric tag).</summary>
public enum SemanticCacheBypassReason
{
    /// <summary>The request asked for it (<see cref="Microsoft.Extensions.AI.SemanticCacheChatOptionsExtensions.WithSemanticCacheBypass"/>).</summary>
    OptedOut,

    /// <summary>The request has a <c>ConversationId</c>: its state lives on the server, not in the messages.</summary>
    ConversationId,

    /// <summary>Images, files or other non-text content, and <see cref="SemanticCacheOptions.AllowNonTextContent"/> is off.</summary>
    NonTextContent,

    /// <summary>The embedding generator failed; the error was logged.</summary>
    EmbeddingError,

    /// <summary>The store failed; the error was logged.</summary>
    StoreError,

    /// <summary>The caller's partition key function failed; the error was logged.</summary>
    PartitionKeyError,
}
