using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Retires an alias for ever, or releases an unregistered one back to Available.</summary>
    [Cmdlet(VerbsCommon.Remove, "AwsRootAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = AddressSet)]
    [OutputType(typeof(AwsRootAlias))]
    public sealed class RemoveAwsRootAliasCommand : RootMailCmdlet
    {
        const string AddressSet = "ByAddress";
        const string AccountSet = "ByAccountId";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AddressCompleter))]
        public string Address { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = AccountSet)]
        [AllowEmptyString]
        public string AccountId { get; set; } = "";

        /// <summary>Also remove the proxy address from its mailbox (mail to it stops arriving).</summary>
        [Parameter]
        public SwitchParameter RemoveAddress { get; set; }

        /// <summary>Return an Assigned, never registered alias to Available instead of retiring it.</summary>
        [Parameter]
        public SwitchParameter Release { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => Invoke(() =>
        {
            var alias = new AliasOperations(Session, OperationHost, () => Exchange).Remove(Pool,
                ParameterSetName == AddressSet ? Address : null, ParameterSetName == AccountSet ? AccountId : null, RemoveAddress, Release);
            if (PassThru) WriteIfNotNull(alias);
        });
    }
}
