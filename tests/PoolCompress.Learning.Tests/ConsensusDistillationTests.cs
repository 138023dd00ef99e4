namespace PoolCompress.Learning.Tests;

/// <summary>Federated distillation's shared rules and a client's steps on the transfer set: seeded, so a run repeats.</summary>
public sealed class ConsensusDistillationTests
{
    private static readonly Dataset Transfer = SyntheticDigits.Create(trainCount: 10, testCount: 200, seed: 4).Test;

    [Fact]
    public void A_seed_and_a_version_draw_the_same_transfer_samples_everywhere_and_another_version_draws_others()
    {
        var first = KnowledgeSharing.SamplesOf(version: 3, count: 50, available: 200, seed: 1);

        Assert.Equal(first, KnowledgeSharing.SamplesOf(3, 50, 200, 1));
        Assert.NotEqual(first, KnowledgeSharing.SamplesOf(4, 50, 200, 1));
        Assert.NotEqual(first, KnowledgeSharing.SamplesOf(3, 50, 200, 2));
        Assert.Equal(50, first.Distinct().Count());
        Assert.Equal(first.Order(), first);
        Assert.All(first, i => Assert.InRange(i, 0, 199));
    }

    [Theory]
    [InlineData("client-0000", "cnn")]
    [InlineData("client-0001", "dsconv+max:2")]
    [InlineData("client-0005", "mlp")]
    public void Models_are_cycled_over_the_number_a_client_id_ends_in(string clientId, string model) =>
        Assert.Equal(model, KnowledgeSharing.ModelOf(clientId, "cnn, dsconv+max:2, mlp"));

    [Fact]
    public void A_client_id_without_a_number_gets_the_same_model_every_time() =>
        Assert.Equal(KnowledgeSharing.ModelOf("hospital-a", "cnn,mlp"), KnowledgeSharing.ModelOf("hospital-a", "cnn,mlp"));

    [Fact]
    public void A_top_classes_row_is_completed_to_one_over_the_classes_it_dropped_and_a_rounded_up_row_is_scaled_down()
    {
        var completed = ConsensusDistillation.Completed([0.7f, 0, 0.1f, 0, 0.6f, 0.6f], classes: 3);

        Assert.Equal([0.7f, 0.2f, 0.1f], completed[..3], new FloatTolerance(1e-6f));
        Assert.Equal([0, 0.5f, 0.5f], completed[3..], new FloatTolerance(1e-6f));
    }

    [Theory]
    [InlineData(new[] { 0.5f, 0.5f, 0, 0 }, null)]
    [InlineData(new[] { 0.9f, 0.9f, 0, 0 }, "sums to")]
    [InlineData(new[] { -0.1f, 0, 1, 0 }, "must be in [0, 1]")]
    [InlineData(new[] { float.NaN, 0, 0, 0 }, "must be in [0, 1]")]
    [InlineData(new[] { 1f, 0, 0 }, "are not rows")]
    public void Soft_labels_must_be_rows_of_probabilities(float[] softLabels, string? problem)
    {
        string? found = KnowledgeSharing.Problem(softLabels, classes: 2);

        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    [Fact]
    public void Distilling_a_consensus_and_scoring_with_the_same_seed_gives_the_same_network_and_soft_labels()
    {
        int[] samples = KnowledgeSharing.SamplesOf(2, 40, Transfer.Count, seed: 7);
        var consensus = new float[samples.Length * 10];
        for (int row = 0; row < samples.Length; row++) consensus[row * 10 + Transfer.Labels[samples[row]]] = 0.9f;

        var (weights, softLabels) = DistilAndScore(samples, consensus);
        var (again, softLabelsAgain) = DistilAndScore(samples, consensus);

        Assert.Equal(weights, again);
        Assert.Equal(softLabels, softLabelsAgain);
        for (int row = 0; row < samples.Length; row++) Assert.Equal(1f, softLabels.AsSpan(row * 10, 10).ToArray().Sum(), 3);
    }

    private static (float[] Weights, float[] SoftLabels) DistilAndScore(int[] samples, float[] consensus)
    {
        using var model = ModelFactory.Create("mlp", null, seed: 3);
        ConsensusDistillation.Distil(model, Transfer, samples, consensus, new TrainingOptions(2, 8, 0.1, Seed: 5), temperature: 3, alpha: 0.5, CancellationToken.None);
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        var softLabels = new float[consensus.Length];
        ConsensusDistillation.Score(model, Transfer, samples, softLabels);
        return (weights, softLabels);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
