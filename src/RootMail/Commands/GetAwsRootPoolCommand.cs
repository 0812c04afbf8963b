using System.Management.Automation;
using RootMail.Operations;

namespace RootMail.Commands
{
    /// <summary>Gets one pool's settings, or every pool's.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsRootPool")]
    [OutputType(typeof(AwsRootPool))]
    public sealed class GetAwsRootPoolCommand : RootMailCmdlet
    {
        /// <summary>The pool; all pools when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string? Pool { get; set; }

        protected override void ProcessRecord() => WriteEach(() => new PoolOperations(Session, OperationHost).Get(Pool));
    }
}
