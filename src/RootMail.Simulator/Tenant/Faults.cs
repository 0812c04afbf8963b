using System.Collections.Generic;

namespace RootMail.Simulator
{
    /// <summary>The five Exchange commands the simulator counts and can inject faults into.</summary>
    internal enum ExchangeCommand
    {
        GetMailbox,
        NewMailbox,
        SetMailbox,
        GetRecipient,
        AddMailboxPermission,
    }

    /// <summary>The fault configuration of a tenant (Set-ExoSimulatorFault). Immutable once set.</summary>
    internal sealed class FaultSettings
    {
        public FaultSettings(
            double failureRate, double throttleRate, double failAfterApplyRate, int latencyMilliseconds,
            IEnumerable<int>? failOnCall, IEnumerable<ExchangeCommand> commands, int? seed)
        {
            FailureRate = failureRate;
            ThrottleRate = throttleRate;
            FailAfterApplyRate = failAfterApplyRate;
            LatencyMilliseconds = latencyMilliseconds;
            FailOnCall = failOnCall == null ? new HashSet<int>() : new HashSet<int>(failOnCall);
            Commands = new HashSet<ExchangeCommand>(commands);
            Seed = seed;
        }

        public double FailureRate { get; }
        public double ThrottleRate { get; }
        public double FailAfterApplyRate { get; }
        public int LatencyMilliseconds { get; }
        public HashSet<int> FailOnCall { get; }
        public HashSet<ExchangeCommand> Commands { get; }
        public int? Seed { get; }
    }

    internal enum InjectedFailure
    {
        None,
        Transient,
        Throttled,
    }

    /// <summary>What to do to one call, decided under the tenant lock when the call starts.</summary>
    internal readonly struct FaultDecision
    {
        public FaultDecision(int latencyMilliseconds, InjectedFailure before, bool failAfterApply)
        {
            LatencyMilliseconds = latencyMilliseconds;
            Before = before;
            FailAfterApply = failAfterApply;
        }

        public static FaultDecision None => default;

        public int LatencyMilliseconds { get; }
        public InjectedFailure Before { get; }
        public bool FailAfterApply { get; }
    }
}
