using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Binds an alias to an AWS account ID: one account, one alias.</summary>
    [Cmdlet(VerbsLifecycle.Register, "AwsAccountAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AwsRootAlias))]
    public sealed class RegisterAwsAccountAliasCommand : RootMailCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AddressCompleter))]
        public string Address { get; set; } = "";

        /// <summary>The 12-digit AWS account ID, as a string.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string AccountId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? AccountName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
            => Invoke(() => WriteIfNotNull(new AliasOperations(Session, OperationHost, () => Exchange).Register(Pool, Address, AccountId, AccountName)));
    }
}
