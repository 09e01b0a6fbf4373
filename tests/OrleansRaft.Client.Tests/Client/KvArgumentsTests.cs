using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Client;

public class KvArgumentsTests
{
    [Fact]
    public void A_null_key_is_an_ArgumentNullException()
    {
        var e = Assert.Throws<ArgumentNullException>(() => KvArguments.ValidateKey(null));
        Assert.Equal("key", e.ParamName);
    }

    [Fact]
    public void An_empty_key_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => KvArguments.ValidateKey(""));
        Assert.StartsWith("The key must not be empty.", e.Message);
    }

    [Fact]
    public void A_key_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not()
    {
        KvArguments.ValidateKey(new string('k', KvLimits.MaxKeyBytes));
        var e = Assert.Throws<ArgumentException>(() => KvArguments.ValidateKey(new string('k', KvLimits.MaxKeyBytes + 1)));
        Assert.StartsWith("The key is 1025 UTF-8 bytes; the limit is 1024.", e.Message);
    }

    [Fact]
    public void The_limit_counts_UTF8_bytes_not_characters()
    {
        // '€' is three UTF-8 bytes: 342 of them are 1026 bytes in 342 characters.
        var e = Assert.Throws<ArgumentException>(() => KvArguments.ValidateKey(new string('€', 342)));
        Assert.Contains("1026 UTF-8 bytes", e.Message);
    }

    [Fact]
    public void Lone_surrogates_are_rejected_because_the_wire_would_change_them()
    {
        Assert.Throws<ArgumentException>(() => KvArguments.ValidateKey("a\ud800b"));
        Assert.Throws<ArgumentException>(() => KvArguments.ValidateValue("\udc00"));
        KvArguments.ValidateKey("emoji😀");
    }

    [Fact]
    public void Values_may_be_empty_but_not_null()
    {
        KvArguments.ValidateValue("");
        Assert.Throws<ArgumentNullException>(() => KvArguments.ValidateValue(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a/b")]
    public void Bad_group_names_are_rejected(string group)
    {
        Assert.Throws<ArgumentException>(() => KvArguments.ValidateGroup(group));
    }
}
