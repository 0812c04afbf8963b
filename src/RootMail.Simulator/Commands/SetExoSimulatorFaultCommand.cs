using System;
using System.Linq;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Injects faults into the connected simulated tenant's Exchange commands.</para>
    /// <para type="description">Each call replaces the previous settings (and restarts the -FailOnCall count); -Clear removes them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ExoSimulatorFault", DefaultParameterSetName = SetName)]
    [OutputType(typeof(void))]
    public sealed class SetExoSimulatorFaultCommand : SimulatorCommandBase
    {
        private const string SetName = "Set";
        private const string ClearName = "Clear";

        /// <summary>Probability of a transient server error before the command does anything.</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateRange(0.0, 1.0)]
        public double FailureRate { get; set; }

        /// <summary>Probability of a throttling error before the command does anything.</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateRange(0.0, 1.0)]
        public double ThrottleRate { get; set; }

        /// <summary>Probability that the command applies its change and then reports a transient error.</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateRange(0.0, 1.0)]
        public double FailAfterApplyRate { get; set; }

        /// <summary>Delay added to every call (Ctrl+C stops it).</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateRange(0, int.MaxValue)]
        public int LatencyMilliseconds { get; set; }

        /// <summary>These calls (1-based, counted from this setting, only calls of the -Command commands) fail transiently before applying.</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateRange(1, int.MaxValue)]
        public int[]? FailOnCall { get; set; }

        /// <summary>The commands the faults apply to; default all five.</summary>
        [Parameter(ParameterSetName = SetName)]
        [ValidateSet("Get-Mailbox", "New-Mailbox", "Set-Mailbox", "Get-Recipient", "Add-MailboxPermission", IgnoreCase = true)]
        public string[]? Command { get; set; }

        /// <summary>Seed of the random draws, for reproducible runs.</summary>
        [Parameter(ParameterSetName = SetName)]
        public int Seed { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClearName)]
        public SwitchParameter Clear { get; set; }

        protected override void EndProcessing()
        {
            Tenant tenant = RequireTenant();
            if (ParameterSetName == ClearName)
            {
                tenant.SetFaults(null);
                return;
            }

            ExchangeCommand[] commands = Command == null
                ? (ExchangeCommand[])Enum.GetValues(typeof(ExchangeCommand))
                : Command.Select(c => (ExchangeCommand)Enum.Parse(typeof(ExchangeCommand), c.Replace("-", string.Empty), true)).ToArray();

            tenant.SetFaults(new FaultSettings(
                FailureRate,
                ThrottleRate,
                FailAfterApplyRate,
                LatencyMilliseconds,
                FailOnCall,
                commands,
                MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? Seed : (int?)null));
        }
    }
}
