using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PoolCompress.Client;
using PoolCompress.Client.Attacks;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>The simulations' malicious clients: what each attack makes of an update, which clients get it, and that it is what they send.</summary>
public sealed class AttackTests
{
    [Fact]
    public void Sign_flip_sends_the_update_reversed_and_scaled()
    {
        float[] update = [1f, -2f, 0.5f];

        new SignFlipAttack(scale: 10).Apply(update, new float[3], round: 1);

        Assert.Equal([-10f, 20f, -5f], update);
    }

    [Fact]
    public void Model_replacement_sends_the_boosted_step_to_a_constant_model()
    {
        float[] update = [0.3f, 0.3f], global = [1f, -2f];

        new ModelReplacementAttack(value: 0.5, scale: 10).Apply(update, global, round: 1);

        // 10 * (0.5 - 1), 10 * (0.5 + 2).
        Assert.Equal([-5f, 25f], update);
    }

    [Fact]
    public void Random_noise_stays_within_its_scale_and_a_seeded_run_sends_it_again()
    {
        float[] first = new float[1000], again = new float[1000], next = new float[1000];
        var attack = new RandomUpdateAttack(scale: 3, seed: 2);

        attack.Apply(first, new float[1000], round: 4);
        attack.Apply(again, new float[1000], round: 4);
        attack.Apply(next, new float[1000], round: 5);

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.All(first, v => Assert.InRange(v, -3f, 3f));
        Assert.True(first.Max() > 2.5f && first.Min() < -2.5f);
    }

    [Fact]
    public void A_spec_names_the_attacking_clients_and_leaves_the_others_honest()
    {
        var attack = ClientAttack.Parse("signflip:scale=4@0,2", clients: 3);

        float[] update = [1f];
        attack.For(2)!.Apply(update, new float[1], round: 1);

        Assert.IsType<SignFlipAttack>(attack.For(0));
        Assert.Null(attack.For(1));
        Assert.Equal([-4f], update);
    }

    [Theory]
    [InlineData("signflip:scale=10", "name the attacking clients after '@'")]
    [InlineData("flood@0", "unknown attack 'flood'")]
    [InlineData("signflip:value=1@0", "signflip takes scale, not 'value=1'")]
    [InlineData("random:scale=big@0", "scale must be a finite number, got 'scale=big'")]
    [InlineData("replace@0,3", "attacking clients are indices from 0 to 2, got '3'")]
    [InlineData("replace@1,1", "client 1 is named twice")]
    [InlineData("signflip@-1", "got '-1'")]
    public void Bad_specs_are_refused_with_what_is_wrong(string spec, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ClientAttack.Parse(spec, clients: 3));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task An_attacked_client_sends_the_transformed_update()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:Rounds"] = "1",
        });
        var shard = TrainingDigits.Few;
        using var gate = new TrainingGate();
        using var channel = FederationClient.CreateChannel(coordinator.Address);
        // Replacement with scale 1 sends exactly the step to the constant model, so FedAvg over this one client lands on it.
        var client = new FederationClient(new ClientOptions { Coordinators = [coordinator.Address], ClientId = ClientShards.ClientId(0) },
            shard, gate, NullLogger<FederationClient>.Instance, updateFilter: new ModelReplacementAttack(value: 0.25, scale: 1));

        await client.RunAsync(channel);
        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

        var model = await coordinator.App.Services.GetRequiredService<IModelStore>().LoadAsync(ModelSeries.Global("default"), 2);
        Assert.All(model!, w => Assert.Equal(0.25f, w, 5));
    }
}
