using System;
using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Compares the registry with the pool's mailboxes in Exchange; -Repair fixes what can be fixed safely.</summary>
    [Cmdlet(VerbsData.Sync, "AwsRootRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AwsRootSyncItem))]
    public sealed class SyncAwsRootRegistryCommand : RootMailCmdlet
    {
        /// <summary>Fix each difference that can be fixed safely; without it, only report.</summary>
        [Parameter]
        public SwitchParameter Repair { get; set; }

        /// <summary>Reserved aliases younger than this may still be in progress and are left alone (default 15 minutes).</summary>
        [Parameter]
        public TimeSpan ReservationAge { get; set; } = SyncOperations.DefaultReservationAge;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
            => WriteEach(() => new SyncOperations(Session, OperationHost, () => Exchange).Sync(Pool, Repair, ReservationAge));
    }
}
