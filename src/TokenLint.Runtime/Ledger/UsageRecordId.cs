using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TokenLint.Runtime;

/// <summary>
/// Ids for metered calls: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits, so ids are
/// unique without coordination between processes and sort by time (a database index on them stays append-mostly).
/// </summary>
/// <remarks>Written out rather than <c>Guid.CreateVersion7</c>, which net8.0 lacks: one code path on every target.</remarks>
internal static class UsageRecordId
{
    public static Guid New(DateTimeOffset timestamp)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, Math.Max(0, timestamp.ToUnixTimeMilliseconds()));
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10 (RFC 9562)
        return new Guid(bytes, bigEndian: true);
    }
}
