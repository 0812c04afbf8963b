<#
.SYNOPSIS
    Pipeline step: hands out the root e-mail address for a new AWS account and publishes it as an output
    variable of the step, in Azure Pipelines or GitHub Actions.
.DESCRIPTION
    Run it after the job has signed in to Azure (see azure-pipelines.yml and github-actions.yml next to it). It
    connects to the registry with that sign-in (Connect-AwsRootRegistry -TableEndpoint: the default Azure
    credential chain, which finds the Azure CLI sign-in of azure/login or of the AzureCLI@2 task), hands out an
    alias and publishes its address under -OutputName:

    - Azure Pipelines (TF_BUILD is True): writes ##vso[task.setvariable variable=<OutputName>;isOutput=true]<address>
      to the log. Later steps of the job read $(<step name>.<OutputName>); other jobs read
      dependencies.<job>.outputs['<step name>.<OutputName>'].
    - GitHub Actions (GITHUB_ACTIONS is true): appends <OutputName>=<address> to the file $env:GITHUB_OUTPUT.
      Later steps read ${{ steps.<step id>.outputs.<OutputName> }}.
    - Anywhere else it only returns the alias.

    The step is safe to re-run: when the requester already holds an Assigned alias for this account name
    (handed out by an earlier attempt of the same run), that alias is published again instead of a new one.

    The job needs only the role Storage Table Data Contributor on the registry table, no Exchange permission:
    it hands out pre-provisioned aliases. When the pool has none left, the step fails with
    RootMail.ExchangeNotConnected and hands out nothing; provision more from an admin session
    (New-AwsRootAlias -Count 250).
.PARAMETER RequestedBy
    The e-mail address of whoever asked for the AWS account.
.PARAMETER AccountName
    The AWS account's name (may appear in a new address; identifies the request when the step is re-run).
.PARAMETER Pool
    The RootMail pool (default 'default').
.PARAMETER TableEndpoint
    The registry's table endpoint, https://<account>.table.core.windows.net. Default: $env:ROOTMAIL_TABLE_ENDPOINT.
.PARAMETER TableName
    The registry table (default AwsRootMail).
.PARAMETER RegistryConnectionString
    FOR REHEARSAL ONLY: a storage connection string used instead of the Azure sign-in (e.g. Azurite's). In a
    real pipeline keep keys out of the job: sign in with workload identity federation instead.
.PARAMETER OutputName
    The name of the output variable (default AwsRootEmail): letters, digits, '_' and '-'.
.OUTPUTS
    RootMail.AwsRootAlias: the alias handed out.
.EXAMPLE
    ./samples/pipelines/New-AccountAlias.ps1 -RequestedBy $env:BUILD_REQUESTEDFOREMAIL -AccountName 'Payments Prod' `
        -TableEndpoint https://contosoawsroot.table.core.windows.net
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $RequestedBy,
    [string] $AccountName,
    [string] $Pool = 'default',
    [string] $TableEndpoint = $env:ROOTMAIL_TABLE_ENDPOINT,
    [string] $TableName = 'AwsRootMail',
    [string] $RegistryConnectionString,
    [ValidatePattern('^[A-Za-z_][A-Za-z0-9_-]*$')] [string] $OutputName = 'AwsRootEmail'
)

$ErrorActionPreference = 'Stop'

if ($RegistryConnectionString) {
    Connect-AwsRootRegistry -ConnectionString $RegistryConnectionString -TableName $TableName | Out-Null
}
elseif ($TableEndpoint) {
    Connect-AwsRootRegistry -TableEndpoint $TableEndpoint -TableName $TableName | Out-Null
}
else {
    throw 'Give -TableEndpoint https://<account>.table.core.windows.net (or set ROOTMAIL_TABLE_ENDPOINT).'
}

# A re-run of the step takes the alias the first attempt handed out.
$alias = $null
if ($AccountName) {
    foreach ($held in @(Get-AwsRootAlias -RequestedBy $RequestedBy -Pool $Pool)) {
        if ($held.Status -eq 'Assigned' -and $held.AccountName -eq $AccountName) { $alias = $held; break }
    }
}
if ($null -eq $alias) {
    $handOut = @{ RequestedBy = $RequestedBy; Pool = $Pool }
    if ($AccountName) { $handOut['AccountName'] = $AccountName }
    $alias = New-AwsRootAlias @handOut
}

if ($env:TF_BUILD -eq 'True') {
    # A logging command of Azure Pipelines, on a line of its own on standard output (what Write-Host does).
    $Host.UI.WriteLine("##vso[task.setvariable variable=$OutputName;isOutput=true]$($alias.Address)")
}
elseif ($env:GITHUB_ACTIONS -eq 'true') {
    if (-not $env:GITHUB_OUTPUT) { throw 'GITHUB_ACTIONS is set but GITHUB_OUTPUT is not: run this script as a step of a GitHub Actions job.' }
    # UTF-8 without a byte order mark, one name=value line, as GitHub reads the file.
    [System.IO.File]::AppendAllText($env:GITHUB_OUTPUT, "$OutputName=$($alias.Address)`n")
}

$alias
