<#
.SYNOPSIS
    Builds, tests and packages RootMail.
.DESCRIPTION
    A thin wrapper for PowerShell users: every step is plain `dotnet`, so a machine without PowerShell
    runs the same commands (see README.md).
      Build    dotnet build RootMail.sln -c <Configuration>   -> out/RootMail/ (importable)
      Test     dotnet test RootMail.sln, then the Pester tests in tests/pester when Pester 5 is installed
      Package  dotnet pack build/package/RootMail.Package.csproj: out/package/RootMail.<version>.nupkg for
               Install-Module / Install-PSResource, and out/package/RootMail.zip for Azure Automation
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Dotnet build (Join-Path $root 'RootMail.sln') -c $Configuration
        }
        'Test' {
            Invoke-Dotnet test (Join-Path $root 'RootMail.sln') -c $Configuration
            $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1
            if ($pester) {
                Import-Module $pester
                $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -PassThru
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester tests failed." }
            }
            else {
                Write-Warning 'Pester 5 is not installed: only the xunit suite ran. Install-Module Pester -MinimumVersion 5.0 to run tests/pester too.'
            }
        }
        'Package' {
            # The same as on a machine without PowerShell: out/package/RootMail.<version>.nupkg and out/package/RootMail.zip
            Invoke-Dotnet pack (Join-Path $root 'build/package/RootMail.Package.csproj') -c $Configuration
            Get-ChildItem (Join-Path $root 'out/package')
        }
    }
}
