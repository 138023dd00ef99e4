using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Federated evaluation: after a round, clients score the new model on their own validation data, the coordinator
/// checks each report as hostile input and averages them weighted by examples.
/// </summary>
public sealed class FederatedEvaluationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-fedeval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reports_average_weighted_by_examples_and_recall_by_class_samples()
    {
        // A: 30 examples (20 of class 0, 10 of class 1); B: 10 examples, all class 1; C reports no validation data.
        var a = new ClientEvaluation("a", 30, Loss: 0.4, Accuracy: 0.8, MacroF1: 0.7, [0.9, 0.6], [20, 10], Auc: 0.9);
        var b = new ClientEvaluation("b", 10, Loss: 1.2, Accuracy: 0.5, MacroF1: 0.5, [0, 0.5], [0, 10], Auc: null);
        var c = new ClientEvaluation("c", 0, 0, 0, 0, [], [], null);

        var total = FederatedEvaluation.Aggregate([c, b, a], classes: 2)!;

        Assert.Equal(40, total.Examples);
        Assert.Equal(2, total.Clients);
        Assert.Equal((30 * 0.4 + 10 * 1.2) / 40, total.Loss, precision: 12);
        Assert.Equal((30 * 0.8 + 10 * 0.5) / 40, total.Accuracy, precision: 12);
        Assert.Equal((30 * 0.7 + 10 * 0.5) / 40, total.MacroF1, precision: 12);
        // Class 0: only A holds it. Class 1: (10 x 0.6 + 10 x 0.5) / 20.
        Assert.Equal(0.9, total.PerClassRecall[0], precision: 12);
        Assert.Equal(0.55, total.PerClassRecall[1], precision: 12);
        // B's AUC is undefined (one class): the mean is over A alone.
        Assert.Equal(0.9, total.Auc!.Value, precision: 12);
        Assert.Equal(["a", "b", "c"], total.PerClient.Select(r => r.ClientId));
        Assert.Null(FederatedEvaluation.Aggregate([c], classes: 2));
    }

    /// <summary>Ways to lie in a report, and the field the refusal must name.</summary>
    private static readonly (string Field, Action<EvaluationReport> Lie)[] HostileReports =
    [
        ("examples", r => r.Examples = -1),
        ("examples", r => r.Examples = long.MaxValue),
        ("loss", r => r.Loss = double.NaN),
        ("loss", r => r.Loss = -0.5),
        ("accuracy", r => r.Accuracy = 1.5),
        ("macro_f1", r => r.MacroF1 = double.PositiveInfinity),
        ("auc", r => r.Auc = double.NaN),
        ("per_class_recall", r => r.PerClassRecall.RemoveAt(0)),
        ("per_class_recall[3]", r => r.PerClassRecall[3] = -0.1),
        ("class_counts", r => r.ClassCounts.Add(1)),
        ("class_counts[2]", r => { r.ClassCounts[2] = -5; r.ClassCounts[3] += 5; }),
        ("add up", r => r.ClassCounts[0] += 1),
        ("contradicts", r => r.Accuracy = 0.9),
    ];

    [Fact]
    public async Task Hostile_evaluation_reports_are_refused_and_the_honest_one_alone_makes_the_round_s_figures()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "2",
            ["Federation:Rounds"] = "1",
            ["Federation:EvalEvery"] = "1",
            ["Federation:Dataset"] = "none",
            // Longer than the test's patience: the evaluation must end because both clients answered, not at the deadline.
            ["Federation:RoundTimeout"] = "00:30:00",
        });
        using var first = new RawClient(coordinator.Address, "site-a");
        using var second = new RawClient(coordinator.Address, "site-b");
        await first.JoinAsync(100);
        await second.JoinAsync(100);
        foreach (var client in new[] { first, second })
        {
            var (task, _) = await client.NextTrainTask();
            byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
            var (_, error) = await client.PushAsync(client.HeaderFor(task, zeros.Length), PayloadChunks.Split(zeros));
            Assert.Null(error);
        }
        var evaluate = await NextEvaluateTask(first);
        await NextEvaluateTask(second);

        foreach (var (field, lie) in HostileReports)
        {
            var report = Honest(first, evaluate, scale: 1);
            lie(report);
            var refused = await Assert.ThrowsAsync<RpcException>(() => first.Rpc.ReportEvaluationAsync(report).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains(field, refused.Status.Detail);
        }
        // A malformed report was site-a's answer: its honest one comes too late.
        var afterRefusal = await Assert.ThrowsAsync<RpcException>(() => first.Rpc.ReportEvaluationAsync(Honest(first, evaluate, scale: 1)).ResponseAsync);
        var stale = Honest(second, evaluate, scale: 3);
        stale.ModelVersion++;
        var staleError = await Assert.ThrowsAsync<RpcException>(() => second.Rpc.ReportEvaluationAsync(stale).ResponseAsync);
        await second.Rpc.ReportEvaluationAsync(Honest(second, evaluate, scale: 3));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

        Assert.Equal(StatusCode.AlreadyExists, afterRefusal.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, staleError.StatusCode);
        var round = Assert.Single(status.History);
        Assert.True(double.IsNaN(round.TestAccuracy)); // no test set: the clients' evaluation is the only one
        Assert.Null(round.TestAuc);
        var federated = round.FederatedEval!;
        Assert.Equal(1, federated.Clients);
        Assert.Equal(30, federated.Examples);
        Assert.Equal(0.5, federated.Accuracy, precision: 12);
        Assert.Equal(2.1, federated.Loss, precision: 12);
        Assert.Equal(0.75, federated.Auc);
        Assert.Equal("site-b", Assert.Single(federated.PerClient).ClientId);
    }

    /// <summary>
    /// Three sites with their own files in three formats (IDX, a folder of PNGs, CSV), non-IID by label, and a
    /// coordinator without a test set: two rounds, each measured by the sites' federated evaluation alone.
    /// </summary>
    [Fact]
    public async Task Three_sites_in_three_formats_train_two_rounds_on_federated_evaluation_alone()
    {
        var digits = DatasetCatalog.Load("synthetic", null, null).Train;
        Dataset Site(params int[] labels) => digits.Subset([.. Enumerable.Range(0, digits.Count).Where(i => labels.Contains(digits.Labels[i])).Take(150)]);
        SiteFiles.WriteIdx(Site(0, 1, 2, 3), Path.Combine(_dir, "idx"));
        SiteFiles.WriteImageFolder(Site(3, 4, 5, 6), Path.Combine(_dir, "images"));
        SiteFiles.WriteCsv(Site(6, 7, 8, 9), Path.Combine(_dir, "table.csv"));
        string[] paths = [Path.Combine(_dir, "idx"), Path.Combine(_dir, "images"), Path.Combine(_dir, "table.csv")];
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "2",
            ["Federation:EvalEvery"] = "1",
            ["Federation:Dataset"] = "none",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
            // Sites holding four digits each pull the model apart: a gentle rate keeps every site's figures finite.
            ["Federation:LearningRate"] = "0.05",
        });
        var gate = new TrainingGate();
        var sites = paths.Select((path, i) => Task.Run(async () =>
        {
            var local = LocalData.Load([path], new DataReadOptions(), validationFraction: 0.2, seed: 5).AsShape(DataSpec.Digits.InputShape);
            using var channel = FederationClient.CreateChannel(coordinator.Address);
            var options = new ClientOptions { Coordinators = [coordinator.Address], ClientId = $"site-{i}", ValidationSamples = local.Validation.Count };
            return await new FederationClient(options, local.Train, gate, NullLogger<FederationClient>.Instance, validation: local.Validation).RunAsync(channel);
        })).ToArray();

        var finished = Task.WhenAll(sites);
        var done = coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        // A site that fails says why at once, rather than leaving the federation to wait for it.
        if (await Task.WhenAny(done, finished) == finished && finished.IsFaulted) await finished;
        var status = await done;
        var summaries = await finished;
        gate.Dispose();

        Assert.All(summaries, s => Assert.Equal(2, s.RoundsTrained));
        Assert.Equal(2, status.History.Count);
        foreach (var round in status.History)
        {
            Assert.True(double.IsNaN(round.TestAccuracy));
            var federated = round.FederatedEval!;
            Assert.Equal(3, federated.Clients);
            Assert.Equal(90, federated.Examples); // 20% of each site's 150 samples
            Assert.Equal(["site-0", "site-1", "site-2"], federated.PerClient.Select(c => c.ClientId));
            Assert.InRange(federated.Accuracy, 0, 1);
            Assert.True(double.IsFinite(federated.Loss));
            Assert.All(federated.PerClient, c => Assert.Equal(30, c.Examples)); // every site's report was taken
            // Each site holds 4 of the 10 classes; together they hold all of them, so every class has validation samples.
            Assert.All(federated.PerClient, c => Assert.Equal(4, c.ClassCounts.Count(n => n > 0)));
        }
    }

    private static async Task<TaskHeader> NextEvaluateTask(RawClient client)
    {
        while (true)
        {
            using var call = client.Rpc.GetTask(client.TaskRequest());
            Assert.True(await call.ResponseStream.MoveNext());
            var header = call.ResponseStream.Current.Header;
            Assert.NotEqual(TaskAction.Done, header.Action);
            if (header.Action == TaskAction.Evaluate) return header;
        }
    }

    /// <summary>
    /// A consistent report of 10 x <paramref name="scale"/> examples over the ten digit classes, accuracy one half:
    /// classes 0..4 hold <paramref name="scale"/> sample each at recall 1, classes 5..9 the same at recall 0.
    /// </summary>
    private static EvaluationReport Honest(RawClient client, TaskHeader task, int scale) => new()
    {
        ClientId = client.ClientId,
        Round = task.Round,
        ModelVersion = task.ModelVersion,
        Examples = 10 * scale,
        Loss = 0.7 * scale,
        Accuracy = 0.5,
        MacroF1 = 0.4,
        PerClassRecall = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 },
        ClassCounts = { Enumerable.Repeat((long)scale, 10) },
        Auc = 0.75,
    };
}
