namespace PoolCompress.Compression.Tests;

/// <summary>
/// Pruning during training on the codec side: the cubic schedule, magnitude pruning of a flat model, and coding over
/// the live coordinates, where sparsifiers choose among fewer candidates, indices count live positions and no payload
/// can put a value at a pruned coordinate.
/// </summary>
public sealed class PruningDuringTrainingTests
{
    private static readonly ModelLayout Layout = TestData.SmallModel();

    [Fact]
    public void The_schedule_rises_cubically_from_zero_at_the_initial_model_to_the_target_after_its_rounds()
    {
        var pruning = new GradualPruning(0.9f, 10);

        Assert.Equal(0, pruning.SparsityOf(1));
        Assert.Equal(0.9f * (1 - Math.Pow(0.5, 3)), pruning.SparsityOf(6), 12);
        Assert.Equal(0.9f, pruning.SparsityOf(11), 12);
        Assert.Equal(0.9f, pruning.SparsityOf(30), 12);
        var sparsities = Enumerable.Range(1, 12).Select(v => pruning.SparsityOf(v)).ToList();
        Assert.Equal(sparsities.Order(), sparsities);
        // The first rounds prune most: Zhu and Gupta's schedule front-loads the pruning while the model moves fast.
        Assert.True(sparsities[1] - sparsities[0] > sparsities[10] - sparsities[9]);
    }

    [Theory]
    [InlineData(new[] { 32, 32 }, true)]
    [InlineData(new[] { 2, 512 }, true)]
    [InlineData(new[] { 31, 33 }, false)]
    [InlineData(new[] { 4096 }, false)]
    [InlineData(new int[0], false)]
    public void A_tensor_is_prunable_exactly_when_the_default_encoder_codes_it_rather_than_sending_it_whole(int[] shape, bool coded)
    {
        var tensor = new TensorInfo("w", shape);

        Assert.Equal(coded, tensor.IsCodedWeight(new UpdateEncoderOptions().DenseBelowElements));
        Assert.Equal(coded, GradualPruning.IsPrunable(tensor));
    }

    [Fact]
    public void Pruning_zeroes_the_smallest_weights_of_each_prunable_tensor_and_nothing_else()
    {
        var model = TestData.Gaussian(Layout.TotalLength, seed: 3);
        var before = (float[])model.Clone();
        new GradualPruning(0.5f, 1).Prune(Layout, model, version: 2);

        var prunable = Enumerable.Range(0, Layout.Count).Where(i => GradualPruning.IsPrunable(Layout[i])).ToArray();
        Assert.Equal(["fc1.weight"], prunable.Select(i => Layout[i].Name));
        var fc1 = Layout.OffsetOf(prunable[0]);
        var weights = model.AsSpan(fc1, Layout[prunable[0]].Length).ToArray();
        Assert.Equal(weights.Length / 2, weights.Count(w => w == 0));
        var largestPruned = Enumerable.Range(0, weights.Length).Where(j => weights[j] == 0).Max(j => Math.Abs(before[fc1 + j]));
        var smallestKept = weights.Where(w => w != 0).Min(Math.Abs);
        Assert.True(largestPruned <= smallestKept);
        for (var i = 0; i < model.Length; i++)
            if (i < fc1 || i >= fc1 + weights.Length) Assert.Equal(before[i], model[i]);
    }

    [Fact]
    public void What_was_pruned_stays_pruned_as_the_sparsity_rises()
    {
        var pruning = new GradualPruning(0.8f, 4);
        var model = TestData.Gaussian(Layout.TotalLength, seed: 4);
        pruning.Prune(Layout, model, version: 2);
        var earlier = pruning.LiveOf(Layout, model, 2);
        // Weights move between rounds; a pruned one does not (clients never send it).
        var moved = TestData.Gaussian(Layout.TotalLength, seed: 5, scale: 0.1f);
        earlier.ZeroPruned(moved);
        for (var i = 0; i < model.Length; i++) model[i] += moved[i];
        pruning.Prune(Layout, model, version: 4);

        var later = pruning.LiveOf(Layout, model, 4);
        Assert.True(later.PrunedCount > earlier.PrunedCount);
        var probe = Enumerable.Repeat(1f, Layout.TotalLength).ToArray();
        later.ZeroPruned(probe);
        AssertZeroAtEveryPruned(earlier, probe);
    }

    [Fact]
    public void Zeros_a_tensor_holds_beyond_what_the_schedule_prunes_were_never_pruned_and_it_is_coded_whole()
    {
        // An output layer initialised at zero, or not yet filled by sparse updates, has zeros pruning did not make.
        var model = TestData.Gaussian(Layout.TotalLength, seed: 13);
        var fc1 = Enumerable.Range(0, Layout.Count).Single(i => Layout[i].Name == "fc1.weight");
        model.AsSpan(Layout.OffsetOf(fc1), Layout[fc1].Length / 2).Clear();

        Assert.False(LiveCoordinates.Of(Layout, model, sparsity: 0.3).IsCompacted(fc1));
        Assert.True(LiveCoordinates.Of(Layout, model, sparsity: 0.5).IsCompacted(fc1));
        Assert.Equal(0, LiveCoordinates.Of(Layout, model, sparsity: 0).PrunedCount);
    }

    [Theory]
    [InlineData("topk:0.02:global>ternary;whole=q:4")]
    [InlineData("topk:0.05>q:4")]
    [InlineData("none")]
    [InlineData("randk:0.1>fp16")]
    public void An_update_coded_over_live_coordinates_decodes_to_zero_at_every_pruned_one_and_costs_less(string spec)
    {
        var (live, update) = PrunedModelAndUpdate();
        var codec = CodecSpec.Parse(spec);

        var pruned = new UpdateEncoder(Layout, codec).Encode(update, 9, live);
        var dense = new UpdateEncoder(Layout, codec).Encode(update, 9);
        var decoded = new float[Layout.TotalLength];
        UpdateDecoder.Decode(pruned, Layout, decoded, live);

        Assert.True(pruned.Length < dense.Length, $"{pruned.Length} bytes over live coordinates, {dense.Length} over all");
        AssertZeroAtEveryPruned(live, decoded);
    }

    [Fact]
    public void A_global_top_k_counts_its_budget_over_the_live_coordinates()
    {
        var (live, update) = PrunedModelAndUpdate();
        var options = TestData.AllCompressed(errorFeedback: false);
        var decoded = new float[Layout.TotalLength];
        UpdateDecoder.Decode(new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.1:global>none"), options).Encode(update, 1, live), Layout, decoded, live);

        // Matrices and kernels go through the chain (1-D biases are sent whole, so they are not counted).
        var chained = Enumerable.Range(0, Layout.Count).Where(i => Layout[i].Shape.Length >= 2).ToList();
        var candidates = chained.Sum(i => Layout[i].Length) - live.PrunedCount;
        var kept = chained.Sum(i => decoded.AsSpan(Layout.OffsetOf(i), Layout[i].Length).ToArray().Count(v => v != 0));
        Assert.Equal(Math.Ceiling(0.1 * candidates), kept);
    }

    [Fact]
    public void Error_feedback_drops_what_a_pruned_coordinate_held_for_good()
    {
        var (live, update) = PrunedModelAndUpdate();
        var encoder = new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.02:global>ternary"));
        // Before pruning the coordinate's share waits in the residual; once it is pruned it can never be sent.
        encoder.Encode(TestData.Gaussian(Layout.TotalLength, seed: 8), 1);
        encoder.Encode(update, 2, live);

        var residual = encoder.Residual.ToArray();
        AssertZeroAtEveryPruned(live, residual);
    }

    [Fact]
    public void A_payload_that_codes_pruned_coordinates_is_refused()
    {
        var (live, update) = PrunedModelAndUpdate();
        // A hostile client encodes its update over every coordinate, pruned ones included, at full value.
        var hostile = TestData.Gaussian(Layout.TotalLength, seed: 12);
        var payload = new UpdateEncoder(Layout, CodecSpec.None).Encode(hostile, 1);

        var error = Assert.Throws<WireFormatException>(() => UpdateDecoder.Decode(payload, Layout, new float[Layout.TotalLength], live));
        Assert.Contains("fc1.weight", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void No_payload_a_sparsifier_decodes_over_live_coordinates_puts_a_value_at_a_pruned_one(int seed)
    {
        var (live, _) = PrunedModelAndUpdate();
        // Indices written for the whole tensor are read as live positions: wrong values, never a pruned coordinate.
        var hostile = TestData.Gaussian(Layout.TotalLength, seed: seed);
        var payload = new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.01>none")).Encode(hostile, 1);
        var decoded = new float[Layout.TotalLength];
        try
        {
            UpdateDecoder.Decode(payload, Layout, decoded, live);
        }
        catch (WireFormatException)
        {
            return;
        }
        AssertZeroAtEveryPruned(live, decoded);
    }

    [Fact]
    public void Without_pruned_coordinates_the_payload_is_byte_for_byte_the_unpruned_one()
    {
        var update = TestData.Gaussian(Layout.TotalLength, seed: 6);
        var nothingPruned = LiveCoordinates.Of(Layout, TestData.Gaussian(Layout.TotalLength, seed: 7), sparsity: 0.5);

        Assert.Equal(0, nothingPruned.PrunedCount);
        Assert.Equal(new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.05:global>q:4")).Encode(update, 3),
            new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.05:global>q:4")).Encode(update, 3, nothingPruned));
    }

    private static void AssertZeroAtEveryPruned(LiveCoordinates live, float[] values)
    {
        var zeroedAtPruned = (float[])values.Clone();
        live.ZeroPruned(zeroedAtPruned);
        Assert.Equal(zeroedAtPruned, values);
    }

    /// <summary>A model pruned to 70 % and an honest update from it (zero at its pruned coordinates).</summary>
    private static (LiveCoordinates Live, float[] Update) PrunedModelAndUpdate()
    {
        var model = TestData.Gaussian(Layout.TotalLength, seed: 10);
        var pruning = new GradualPruning(0.7f, 1);
        pruning.Prune(Layout, model, version: 2);
        var live = pruning.LiveOf(Layout, model, 2);
        var update = TestData.Gaussian(Layout.TotalLength, seed: 11);
        live.ZeroPruned(update);
        return (live, update);
    }
}
