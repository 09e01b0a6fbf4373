using System.Text;
using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// Boundary checks for keys, values, group names and node names. They run before anything is sent, so a caller's mistake
/// is an <see cref="ArgumentException"/> naming the argument, never a round trip or a server-side error.
/// </summary>
public static class KvArguments
{
    // Strict: a lone surrogate would be silently replaced by U+FFFD on the wire and name a different key.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws unless <paramref name="key"/> is a non-empty, well-formed string of at most
    /// <see cref="KvLimits.MaxKeyBytes"/> UTF-8 bytes.</summary>
    public static void ValidateKey(string? key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length == 0) throw new ArgumentException("The key must not be empty.", paramName);
        var bytes = Utf8ByteCount(key, paramName, "key");
        if (bytes > KvLimits.MaxKeyBytes)
            throw new ArgumentException($"The key is {bytes} UTF-8 bytes; the limit is {KvLimits.MaxKeyBytes}.", paramName);
    }

    /// <summary>Throws unless <paramref name="value"/> is a well-formed string. Empty values are allowed. The
    /// size limit is configured per group, so the server checks it.</summary>
    public static void ValidateValue(string? value, string paramName = "value")
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        Utf8ByteCount(value, paramName, "value");
    }

    /// <summary>Throws unless <paramref name="group"/> can name a Raft group: non-empty, without '/', which
    /// separates the group from the peer index in peer keys.</summary>
    public static void ValidateGroup(string? group, string paramName = "group")
    {
        ArgumentNullException.ThrowIfNull(group, paramName);
        if (string.IsNullOrWhiteSpace(group)) throw new ArgumentException("The group name must not be empty.", paramName);
        if (group.Contains('/')) throw new ArgumentException($"The group name '{group}' must not contain '/'.", paramName);
    }

    /// <summary>Throws unless <paramref name="node"/> can name a node (a silo name): not null, not empty, not only
    /// white space. The group checks the full rule (a running silo of that name, the characters it allows) itself.</summary>
    public static void ValidateNode(string? node, string paramName = "node")
    {
        ArgumentNullException.ThrowIfNull(node, paramName);
        if (string.IsNullOrWhiteSpace(node)) throw new ArgumentException("The node name must not be empty.", paramName);
    }

    private static int Utf8ByteCount(string text, string paramName, string what)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not well-formed UTF-16 (it contains a lone surrogate).", paramName);
        }
    }
}
