<#
.SYNOPSIS
    A measured run: how long a hand-out takes, and how many registry round trips it needs, with 50 and with
    5,000 aliases in the registry.
.DESCRIPTION
    Run it through the sandbox against Azurite and the Exchange simulator:
        dotnet run --project sandbox/RootMail.Sandbox -- --script samples/bench/Measure-HandOut.ps1
    For each size it provisions that many Available aliases, then times -Samples hand-outs one after another
    and reports the median and the registry requests of one hand-out (from RootMail's closing verbose line).
    Uses only commands of the core PowerShell engine.
#>
param(
    [Parameter(Mandatory)] [string] $ConnectionString,
    [string] $Domain = 'contoso.com',
    [int[]] $Size = @(50, 5000),
    [int] $Samples = 25
)

$ErrorActionPreference = 'Stop'
foreach ($n in $Size) {
    $table = 'Bench' + $n + [guid]::NewGuid().ToString('N').Substring(0, 6)
    Connect-AwsRootRegistry -ConnectionString $ConnectionString -TableName $table | Out-Null
    Set-AwsRootPool -Domain $Domain -MailboxCapacity 300
    $mailboxes = [math]::Ceiling(($n + $Samples) / 300)
    for ($i = 0; $i -lt $mailboxes; $i++) { New-AwsRootMailbox -Name ("bench{0}-{1:000}" -f $n, $i) -PrimarySmtpAddress ("bench{0}-{1:000}@{2}" -f $n, $i, $Domain) | Out-Null }
    $provision = [Diagnostics.Stopwatch]::StartNew()
    New-AwsRootAlias -Count $n | Out-Null
    $provision.Stop()

    $times = [double[]]::new($Samples)
    for ($i = 0; $i -lt $Samples; $i++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        New-AwsRootAlias -RequestedBy "bench$i@$Domain" | Out-Null
        $watch.Stop()
        $times[$i] = $watch.Elapsed.TotalMilliseconds
    }
    [Array]::Sort($times)
    $verbose = New-AwsRootAlias -RequestedBy "probe@$Domain" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'RootMail:*' }
    $lookup = [Diagnostics.Stopwatch]::StartNew()
    Get-AwsRootAlias -RequestedBy "bench0@$Domain" | Out-Null
    $lookup.Stop()
    [pscustomobject]@{
        Aliases          = $n
        ProvisionSeconds = [math]::Round($provision.Elapsed.TotalSeconds, 2)
        HandOutMedianMs  = [math]::Round($times[[int]($Samples / 2)], 1)
        HandOutP90Ms     = [math]::Round($times[[int]($Samples * 0.9)], 1)
        HandOutRoundTrip = $verbose.Message
    } | Out-Default
    Disconnect-AwsRootRegistry
}
