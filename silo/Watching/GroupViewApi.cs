using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansRaft.Grains.Diagnostics;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Silo.Watching;

/// <summary>
/// The JSON the live view reads: <c>/api/groups</c> (every configured group) and <c>/api/groups/{group}</c> (one; an
/// unknown group is a 404 with an <see cref="ApiError"/>). Each answer asks every peer of the group once, through the
/// group's facade, which bounds each peer call (a peer whose node has no active silo is answered for at once); the
/// whole answer is bounded again here, so a page never waits longer than <see cref="AnswerWithin"/>.
/// </summary>
internal sealed class GroupViewApi(IGrainFactory grains, RaftGroupRegistry groups, PeerActivity activity, ILocalSiloDetails silo)
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(4);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/groups", async (CancellationToken cancel) =>
            Results.Json(new GroupsView(silo.Name, await Task.WhenAll(groups.Names.Order(StringComparer.Ordinal).Select(g => ViewAsync(g, cancel))))));
        endpoints.MapGet("/api/groups/{group}", async (string group, CancellationToken cancel) => groups.Names.Contains(group)
            ? Results.Json(await ViewAsync(group, cancel))
            : Results.Json(new ApiError("unknown-group", $"no Raft group named '{group}' is configured on this silo (known: {string.Join(", ", groups.Names.Order(StringComparer.Ordinal))})"),
                statusCode: StatusCodes.Status404NotFound));
    }

    private async Task<GroupView> ViewAsync(string group, CancellationToken cancel)
    {
        PeerStatusList status;
        try
        {
            status = await grains.GetGrain<IKvGrain>(group).Status(cancel).WaitAsync(AnswerWithin, cancel);
        }
        catch (TimeoutException)
        {
            status = GroupViews.Unanswered(group, $"the group's status did not answer within {AnswerWithin.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status = GroupViews.Unanswered(group, e.GetBaseException().Message);
        }
        if (status.Keys is null && status.Peers.Length == 0 && groups.TryGet(group, out var configured))
            status = status with { Keys = [.. configured.PeerNodes.Select((_, i) => new PeerKey(group, i).ToString())], Errors = [.. configured.PeerNodes.Select(_ => status.Errors.FirstOrDefault())] };
        return GroupViews.From(group, status, key => NodeOf(key), activity, silo.Name, activity.Clock.GetUtcNow());
    }

    private string? NodeOf(string key) =>
        PeerKey.TryParse(key, out var parsed) && groups.TryGet(parsed.Group, out var options) ? options.NodeOf(parsed) : null;
}
