using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>The HTTP side of the launcher's silos (metrics port 7070+N on 127.0.0.1): JSON, health, Prometheus text.</summary>
internal static class SiloWeb
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static string Url(int silo, string path = "/") => $"http://127.0.0.1:{LocalPorts.BaseMetricsPort + silo}{path}";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(int silo, string path)
    {
        using var response = await Http.GetAsync(Url(silo, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"GET {path} answered {response.Content.Headers.ContentType} instead of JSON: {text}");
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<string> GetTextAsync(int silo, string path) => await Http.GetStringAsync(Url(silo, path));

    /// <summary>The sum over every silo of the samples of <paramref name="metric"/> (a Prometheus name, like
    /// orleansraft_proposals_committed_total) whose labels include <paramref name="label"/>.</summary>
    public static async Task<double> SumAsync(int silos, string metric, string label)
    {
        var sum = 0.0;
        for (var silo = 0; silo < silos; silo++)
            foreach (var line in (await GetTextAsync(silo, "/metrics")).Split('\n'))
                if (line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
                    sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        return sum;
    }
}
