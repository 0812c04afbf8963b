using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Returns the call counters of the connected simulated tenant.</para>
    /// <para type="description">-Reset zeroes the counters after returning their values.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ExoSimulatorStatistic")]
    [OutputType(typeof(ExoSimulatorStatistic))]
    public sealed class GetExoSimulatorStatisticCommand : SimulatorCommandBase
    {
        [Parameter]
        public SwitchParameter Reset { get; set; }

        protected override void EndProcessing()
        {
            WriteObject(RequireTenant().GetStatistics(Reset.IsPresent));
        }
    }
}
