using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Reflection;

namespace OrleansRaft.Silo.Watching;

/// <summary>The live view's page, script and style sheet, embedded in the silo's assembly (see the project file) and
/// served from memory: nothing to deploy beside the silo, nothing fetched from elsewhere.</summary>
internal static class LiveViewAssets
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/live-view.js", "live-view.js", "text/javascript; charset=utf-8"),
        ("/live-view.css", "live-view.css", "text/css; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            endpoints.MapGet(path, () => Results.Bytes(bytes, contentType));
        }
    }

    private static byte[] Read(string name)
    {
        var resource = $"OrleansRaft.Silo.LiveView.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the silo was built without its live view ({resource} is not embedded)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
