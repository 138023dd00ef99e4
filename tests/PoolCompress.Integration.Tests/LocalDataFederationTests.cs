using System.Buffers.Binary;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Client;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>Clients on their own files: data that fits the federation trains, data that does not is refused before it joins.</summary>
public sealed class LocalDataFederationTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-localdata-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string?> OneClientOneRound() => new()
    {
        ["Federation:Clients"] = "1",
        ["Federation:Rounds"] = "1",
    };

    [Fact]
    public async Task Join_with_data_of_another_shape_or_unknown_classes_is_refused_and_leaves_no_member()
    {
        await using var coordinator = await TestCoordinator.StartAsync(OneClientOneRound());
        using var channel = FederationClient.CreateChannel(coordinator.Address);
        var rpc = new V1.Federation.FederationClient(channel);
        var request = new JoinRequest { ClientId = "site-a", SampleCount = 10, ProtocolVersion = 1, InputShape = { 3, 32, 32 }, ClassNames = { "0", "cat" } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => rpc.JoinAsync(request).ResponseAsync);
        var notJoined = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = rpc.GetTask(new V1.TaskRequest { ClientId = "site-a", LayoutFingerprint = RawClient.CnnLayout().Fingerprint });
            await call.ResponseStream.MoveNext();
        });
        var fitting = await rpc.JoinAsync(new JoinRequest { ClientId = "site-b", SampleCount = 10, ProtocolVersion = 1, InputShape = { 1, 28, 28 }, ClassNames = { "3", "7" } });

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("its samples are 3x32x32, the federation's are 1x28x28", refused.Status.Detail);
        Assert.Contains("'cat'", refused.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, notJoined.StatusCode);
        Assert.Contains("has not joined", notJoined.Status.Detail);
        Assert.Equal(Dataset.DigitClasses, fitting.Config.ClassNames);
        Assert.Equal([1, 28, 28], fitting.Config.InputShape);
    }

    [Fact]
    public async Task Cli_client_trains_on_its_own_idx_files_holding_only_some_classes()
    {
        var digits = DatasetCatalog.Load("synthetic", null, null).Train;
        var someClasses = digits.Subset([.. Enumerable.Range(0, digits.Count).Where(i => digits.Labels[i] is 2 or 5 or 7).Take(150)]);
        string site = Directory.CreateDirectory(Path.Combine(_dir, "site")).FullName;
        WriteIdx(someClasses, Path.Combine(site, "train"));
        await using var coordinator = await TestCoordinator.StartAsync(OneClientOneRound());

        var result = await CliProcess.RunAsync(Patience, "client", "--coordinator", coordinator.Address.ToString(), "--client-index", "0",
            "--clients", "1", "--data", site, "--val-fraction", "0.2");
        var status = await coordinator.WaitUntilDoneAsync(Patience);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("120 train / 30 validation", result.Stdout);
        var reported = Assert.Single(coordinator.App.Services.GetRequiredService<ClientDataLedger>().Snapshot());
        Assert.Equal((120, 30), (reported.Train, reported.Validation));
        Assert.Contains("1 rounds trained", result.Stdout);
        Assert.Equal(1, Assert.Single(status.History).Participants);
    }

    [Fact]
    public async Task Cli_client_whose_table_does_not_fit_the_federation_exits_3_with_the_coordinator_s_reason()
    {
        string table = Path.Combine(_dir, "site.csv");
        File.WriteAllText(table, "a,b,label\n1,2,0\n3,4,1\n");
        await using var coordinator = await TestCoordinator.StartAsync(OneClientOneRound());

        var result = await CliProcess.RunAsync(Patience, "client", "--coordinator", coordinator.Address.ToString(), "--client-index", "0",
            "--clients", "1", "--data", table);

        Assert.Equal(3, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused", line);
        Assert.Contains("its samples are 2, the federation's are 1x28x28", line);
    }

    [Theory]
    [InlineData("a,b,label\n1,2,cat\nx,4,dog\n", "row 3: column 'a' is 'x', not a number", null)]
    [InlineData("a,b,label\n1,2,cat\n3,4,cow\n", "'cow' in", "cat,dog")]
    public async Task Cli_client_with_bad_or_unknown_data_exits_3_naming_the_file_and_row(string csv, string expected, string? classes)
    {
        string table = Path.Combine(_dir, "site.csv");
        File.WriteAllText(table, csv);

        var result = await CliProcess.RunAsync(Patience,
        [
            "client", "--coordinator", "http://127.0.0.1:1", "--client-index", "0", "--clients", "1", "--data", table,
            .. classes is null ? Array.Empty<string>() : ["--classes", classes, "--input-shape", "2"],
        ]);

        Assert.Equal(3, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(table, line);
        Assert.Contains(expected, line);
    }

    /// <summary>Writes PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte.</summary>
    internal static void WriteIdx(Dataset data, string prefix)
    {
        var images = new byte[16 + data.Images.Length];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), data.Count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), data.Height);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), data.Width);
        for (int i = 0; i < data.Images.Length; i++) images[16 + i] = (byte)Math.Round(data.Images[i] * 255);
        var labels = new byte[8 + data.Count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), data.Count);
        data.Labels.CopyTo(labels, 8);
        File.WriteAllBytes(prefix + "-images-idx3-ubyte", images);
        File.WriteAllBytes(prefix + "-labels-idx1-ubyte", labels);
    }
}
