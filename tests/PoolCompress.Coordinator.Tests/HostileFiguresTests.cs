using CsCheck;
using Grpc.Core;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Services;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Extreme and hostile numbers (long.MaxValue, negatives, NaN, infinities, the largest finite values) thrown at each
/// stage that takes a client's figure, along the path the coordinator runs: each is refused where it is checked, or
/// goes through without an exception and leaves only finite figures in what the stage produces.
/// </summary>
public sealed class HostileFiguresTests
{
    private static readonly Gen<long> Count = Gen.OneOf(
        Gen.Long, Gen.Long[0, 1000], Special(long.MaxValue, long.MaxValue - 1, long.MinValue, -1L, 0L, 1L << 62, FedAvgAggregator.MaxWeight));

    private static readonly Gen<double> Figure = Gen.OneOf(
        Gen.Double, Gen.Double[0, 10],
        Special(double.MaxValue, -double.MaxValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 0.0, 1e300, -1.0));

    private static readonly Gen<float> UpdateValue = Gen.OneOf(
        Gen.Float[-1, 1], Special(float.MaxValue, -float.MaxValue, 1e38f, -1e38f, 1e3f, -1e3f, float.Epsilon, 0f));

    [Fact]
    public void Claimed_counts_at_join_never_stop_the_data_summary()
    {
        Gen.Select(Count, Count).Array[1, 5].Sample(claims =>
        {
            var ledger = new ClientDataLedger();
            for (int c = 0; c < claims.Length; c++)
            {
                var join = new JoinRequest { ClientId = $"client-{c}", ProtocolVersion = JoinRequests.ProtocolVersion, SampleCount = claims[c].Item1, ValidationCount = claims[c].Item2 };
                if (Refused(() => JoinRequests.Check(join, DataSpec.Digits, "none"))) continue;
                ledger.Record(join.ClientId, join.SampleCount, join.ValidationCount);
            }
            var clients = ledger.Snapshot();
            var summary = DataSummary.Create("synthetic", "synthetic", null, ["0", "1"], "1x28x28", 100, clients);
            Assert.All(clients, c => Assert.True(summary.Train >= c.Train && summary.Validation >= c.Validation));
        });
    }

    [Fact]
    public void Reported_training_figures_leave_a_round_with_finite_metrics()
    {
        var settings = new FederationSettings { Clients = 4, LinkMode = LinkMode.Modeled, Links = "up=1mbit,down=10mbit,rtt=50ms" };
        Gen.Select(Figure, Figure, Count, Count).Array[1, 4].Sample(headers =>
        {
            var links = new EmulatedLinks(settings, ["client-0", "client-1", "client-2", "client-3"]);
            var contributions = new RoundContributions(new RoundAttempt(1, 0));
            for (int c = 0; c < headers.Length; c++)
            {
                var (loss, seconds, memory, processMemory) = headers[c];
                var header = new UpdateHeader { ClientId = $"client-{c}", TrainLoss = (float)loss, TrainSeconds = seconds, PeakMemoryBytes = memory, ProcessPeakMemoryBytes = processMemory };
                if (Refused(() => TrainingReports.Check(header))) continue;
                var report = TrainingReports.From(header, new TrafficSnapshot(1000, 1000, 0), updateNorm: 1);
                if (!links.Arrives(header.ClientId, report)) continue;
                contributions.Admit(header.ClientId, "silo", report);
                contributions.Deliver(header.ClientId, "silo");
            }
            var metrics = RoundMetricsBuilder.Unevaluated(new ClosedRound(
                1, [.. Enumerable.Range(0, headers.Length).Select(c => $"client-{c}")], contributions, contributions.Reports.Count(), 2,
                default, 0, 1, 0, links, null, null));
            Assert.True(double.IsFinite(metrics.MeanTrainLoss) && double.IsFinite(metrics.MeanTrainSeconds) && double.IsFinite(metrics.MaxTrainSeconds));
            Assert.True(double.IsFinite(metrics.ModeledSeconds));
        });
    }

    [Fact]
    public void Reported_evaluations_add_up_to_finite_figures()
    {
        const long maxExamples = 1_000_000;
        Gen.Select(Count, Figure, Gen.Double[0, 1]).Array[1, 5].Sample(reports =>
        {
            var evaluations = new List<ClientEvaluation>();
            for (int c = 0; c < reports.Length; c++)
            {
                var (examples, loss, accuracy) = reports[c];
                var report = new EvaluationReport { ClientId = $"client-{c}", Examples = examples, Loss = loss, Accuracy = accuracy, MacroF1 = accuracy };
                report.PerClassRecall.Add([accuracy, 0]);
                report.ClassCounts.Add([examples, 0]);
                try
                {
                    evaluations.Add(EvaluationReports.Read(report, report.ClientId, classes: 2, maxExamples));
                }
                catch (InvalidDataException)
                {
                    // Refused as malformed: it never reaches the average.
                }
            }
            var federated = new FedAvgStrategy().AggregateEvaluate(evaluations, classes: 2);
            if (federated is null) return;
            Assert.True(double.IsFinite(federated.Loss) && double.IsFinite(federated.Accuracy) && double.IsFinite(federated.MacroF1));
            Assert.All(federated.PerClassRecall, r => Assert.True(double.IsFinite(r)));
        });
    }

    [Fact]
    public void Every_strategy_steps_by_a_finite_change_under_the_largest_finite_updates()
    {
        var strategies = Gen.Int[0, FederatedStrategies.Names.Count - 1].Select(i => FederatedStrategies.Names[i]);
        Gen.Select(strategies, Gen.Select(UpdateValue.Array[3], Gen.Long[1, FedAvgAggregator.MaxWeight]).Array[1, 5]).Sample((name, updates) =>
        {
            var strategy = FederatedStrategies.Create(name);
            var state = strategy.StateArrays.Select(_ => new float[3]).ToArray();
            // The state (moments) carries over; the model starts at zero each step, so only one step's change is measured.
            for (int step = 1; step <= 2; step++)
            {
                var model = new float[3];
                var round = new FedAvgAggregator(3, keepUpdates: true);
                for (int c = 0; c < updates.Length; c++) round.Add($"client-{c}", updates[c].Item1, updates[c].Item2);
                strategy.AggregateFit(round.ToWeightedUpdates(), model, state, step);
                Assert.True(model.All(float.IsFinite), $"{name} step {step}: [{string.Join(", ", model)}]");
            }
        });
    }

    private static Gen<T> Special<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static bool Refused(Action check)
    {
        try
        {
            check();
            return false;
        }
        catch (Exception e) when (e is RpcException or InvalidDataException)
        {
            return true;
        }
    }
}
