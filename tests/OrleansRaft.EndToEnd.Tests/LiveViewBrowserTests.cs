using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OrleansRaft.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The live view in a real browser: a silo's page shows the group's leader; once the leader's silo is killed, a
/// surviving silo's page shows a new leader and the dead peer as unreachable, without anyone reloading it (when the
/// page's own silo survives) and without hanging on the dead one.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class LiveViewBrowserTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task The_page_of_a_surviving_silo_shows_the_new_leader_after_the_leaders_silo_is_killed()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        using var driver = Browser.Start();
        driver.Navigate().GoToUrl(SiloWeb.Url(0));
        var leader = await UntilAsync("the page shows a leader", TimeSpan.FromSeconds(30), () => LeaderShown(driver));
        var leaderNode = await UntilAsync($"the page shows {leader}'s node", TimeSpan.FromSeconds(10),
            () => Text(driver, By.CssSelector($"table.peers tr[data-peer='{leader}'] td:nth-child(2)")) is { } node && NodeIndex().IsMatch(node) ? node : null);
        var killed = int.Parse(NodeIndex().Match(leaderNode).Groups[1].Value);
        output.WriteLine($"before: {Browser.SaveScreenshot(driver, "live-view-before-kill.png")} shows leader {leader} on {leaderNode}");

        var watch = Stopwatch.StartNew();
        fixture.MarkDegraded();
        await cluster.KillSiloAsync(killed);
        // The page stays open when its silo survives: it must update by itself.
        var survivor = killed == 0 ? 1 : 0;
        if (survivor != 0) driver.Navigate().GoToUrl(SiloWeb.Url(survivor));
        var newLeader = await UntilAsync($"node{survivor}'s page shows a leader other than {leader} and {leader} unreachable", Deadline.Failover, () =>
            LeaderShown(driver) is { } shown && shown != leader && driver.FindElements(By.CssSelector($"table.peers tr.unreachable[data-peer='{leader}']")).Count == 1 ? shown : null);
        var shot = Browser.SaveScreenshot(driver, "live-view-after-failover.png");
        output.WriteLine($"after {watch.Elapsed.TotalSeconds:0.0} s: node{survivor}'s page shows leader {newLeader}, {leader} unreachable; screenshot {shot}");
        Assert.Equal("degraded", driver.FindElement(By.Id("group-kv")).GetAttribute("data-health"));
    }

    private static string? LeaderShown(IWebDriver driver) => Text(driver, By.Id("leader-kv")) is { } text && text.StartsWith("kv/", StringComparison.Ordinal) ? text : null;

    /// <summary>The element's text, or null while the page has not drawn it (it redraws every second).</summary>
    private static string? Text(IWebDriver driver, By by)
    {
        try
        {
            return driver.FindElements(by).FirstOrDefault()?.Text;
        }
        catch (StaleElementReferenceException)
        {
            return null;
        }
    }

    private static async Task<T> UntilAsync<T>(string what, TimeSpan limit, Func<T?> condition) where T : class
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            if (condition() is { } result) return result;
            if (DateTime.UtcNow >= until) throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what}");
            await Task.Delay(Poll);
        }
    }

    [GeneratedRegex(@"^node(\d+)$")]
    private static partial Regex NodeIndex();
}
