using static TorchSharp.torch;

namespace PoolCompress.Learning.Tests;

public sealed class DistillationTests : IDisposable
{
    private static readonly MnistSplit Synthetic = SyntheticDigits.Create(trainCount: 600, testCount: 300, seed: 11);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_loss_is_the_weighted_sum_of_the_softened_divergence_and_the_cross_entropy()
    {
        using var scope = NewDisposeScope();
        var student = tensor(new float[] { 1, 2, 0, 0, 0, 0 }, [2, 3]);
        var teacher = tensor(new float[] { 0, 1, 3, 0, 0, 0 }, [2, 3]);
        var labels = tensor(new long[] { 1, 2 });

        double loss = Distillation.Loss(student, teacher, labels, temperature: 2, alpha: 0.25).item<float>();

        // By hand: row 1 at T = 2, KL(softmax(0, 0.5, 1.5) || softmax(0.5, 1, 0)) = 0.472964 and CE = -log softmax(1, 2, 0)[1]
        // = 0.407606; row 2 has equal logits (KL 0) and CE log 3. Batch means, the soft term scaled by alpha T^2 = 1.
        double expected = 0.25 * 4 * (0.472964 + 0) / 2 + 0.75 * (0.407606 + Math.Log(3)) / 2;
        Assert.Equal(expected, loss, 5);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(3, 1.5)]
    [InlineData(3, -0.1)]
    public void Bad_temperatures_and_weights_are_refused(double temperature, double alpha)
    {
        using var teacher = ModelFactory.Create("mlp", null, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Distillation(teacher, temperature, alpha));
    }

    [Fact]
    public void A_student_distilled_from_a_teacher_learns_the_teachers_predictions_rather_than_the_labels()
    {
        // The teacher learnt every digit as the next one: a student that follows it, not the labels, predicts as it does.
        using var teacher = ModelFactory.Create("mlp", null, seed: 2);
        LocalTrainer.Train(teacher, Shifted(Synthetic.Train), new TrainingOptions(Epochs: 5, BatchSize: 16, LearningRate: 0.1, Seed: 1));
        var teacherSays = Predictions(teacher, Synthetic.Test);
        Assert.True(Agreement(teacherSays, [.. Shifted(Synthetic.Test).Labels.Select(label => (int)label)]) > 0.8, "the teacher should have learnt the shifted labels");

        double distilled = AgreementAfterTraining(new Distillation(teacher, temperature: 3, alpha: 1), teacherSays);
        double plain = AgreementAfterTraining(null, teacherSays);

        Assert.True(distilled > 0.7, $"the distilled student agrees with the teacher on {distilled:P0}");
        Assert.True(plain < 0.2, $"a student trained on the labels agrees with the teacher on {plain:P0}");
    }

    [Fact]
    public void A_teacher_export_loads_for_the_federations_samples_with_its_weights()
    {
        string path = Export("mlp", [1, 28, 28]);
        using var written = ModelExport.Read(path);

        using var teacher = TeacherModel.Load(path + ".safetensors", modelSpec: null, DataSpec.Digits);

        Assert.Equal(Predictions(written, Synthetic.Test), Predictions(teacher, Synthetic.Test));
    }

    [Fact]
    public void Bare_weights_load_with_the_architecture_named()
    {
        string path = Export("mlp", [1, 28, 28]);
        File.Delete(path + ".json");

        using var teacher = TeacherModel.Load(path, "mlp", DataSpec.Digits);
        Assert.Equal("mlp", teacher.Name);
        var refused = Assert.Throws<ArgumentException>(() => TeacherModel.Load(path, modelSpec: null, DataSpec.Digits));
        Assert.Contains("does not say what the model is", refused.Message);
    }

    [Fact]
    public void Teachers_that_do_not_fit_are_refused_naming_the_file()
    {
        string mlp = Export("mlp", [1, 28, 28]);
        string table = Export("mlp", [64]);
        File.WriteAllText(_dir.File("broken.json"), "{ not json");
        File.WriteAllText(_dir.File("broken.safetensors"), "not weights");

        Assert.Contains("does not exist", Refusal(_dir.File("missing"), null));
        Assert.Contains("takes 64 samples", Refusal(table, null));
        Assert.Contains("teacher-model says cnn", Refusal(mlp, "cnn"));
        Assert.Contains("is not an export's description", Refusal(_dir.File("broken"), null));
        File.Delete(_dir.File("broken.json"));
        Assert.Contains("does not hold the weights of a cnn", Refusal(_dir.File("broken"), "cnn"));
        File.Delete(mlp + ".json");
        Assert.Contains("does not hold the weights of a cnn", Refusal(mlp, "cnn"));
    }

    private string Refusal(string path, string? spec)
    {
        var refused = Assert.Throws<ArgumentException>(() => TeacherModel.Load(path, spec, DataSpec.Digits));
        Assert.Contains(path.Replace(".safetensors", ""), refused.Message);
        return refused.Message;
    }

    private string Export(string model, int[] inputShape)
    {
        string path = _dir.File($"{model}-{string.Join('x', inputShape)}");
        using var trained = ModelFactory.Create(model, null, seed: 1, new DataSpec(inputShape, Dataset.DigitClasses));
        ModelExport.Write(trained, new ExportInfo(model, null, inputShape, Dataset.DigitClasses, Rounds: 1, new Dictionary<string, double>()), path);
        return path;
    }

    private static double AgreementAfterTraining(ITrainingLoss? loss, int[] teacherSays)
    {
        using var student = ModelFactory.Create("mlp", null, seed: 3);
        LocalTrainer.Train(student, Synthetic.Train, new TrainingOptions(Epochs: 5, BatchSize: 16, LearningRate: 0.1, Seed: 2), loss: loss);
        return Agreement(Predictions(student, Synthetic.Test), teacherSays);
    }

    private static Dataset Shifted(Dataset data) =>
        new(data.Images, [.. data.Labels.Select(label => (byte)((label + 1) % data.ClassCount))], data.Shape, data.Classes);

    private static int[] Predictions(FederatedModel model, Dataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.Network.eval();
        var logits = model.Network.call(tensor(data.Images, [data.Count, .. data.Shape.Select(size => (long)size)]));
        return [.. logits.argmax(1).data<long>().Select(label => (int)label)];
    }

    private static double Agreement(int[] a, int[] b) => a.Zip(b).Count(pair => pair.First == pair.Second) / (double)a.Length;
}
