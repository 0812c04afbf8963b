#Requires -Version 5.1
<#
.SYNOPSIS
    Pester 5 tests of RootMail's help, in the style of PSScriptAnalyzer's ModuleHelp.Tests.ps1.
.DESCRIPTION
    Every exported cmdlet must have real help (en-US/RootMail.dll-Help.xml, which the build generates from
    docs/help/<Cmdlet>.md, not the help PowerShell makes up from the syntax): a synopsis, a description, at
    least two examples with code, related links, and a description, the right type and the right Required
    flag for every parameter, and no help for parameters the code does not have. about_RootMail must be
    there too. Needs only the build (dotnet build RootMail.sln) and Pester 5:

        Invoke-Pester ./tests/pester/Help.Tests.ps1 -Output Detailed
#>

BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../out/RootMail/RootMail.psd1'
    Import-Module $manifest -Force -ErrorAction Stop

    # -WhatIf and -Confirm are checked like any other parameter: RootMail's help describes them.
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @('UseTransaction')

    $commandCases = foreach ($command in @(Get-Command -Module RootMail -CommandType Cmdlet)) {
        $parameterCases = foreach ($parameter in $command.Parameters.Values) {
            if ($commonParameters -contains $parameter.Name) { continue }
            $sets = @($parameter.ParameterSets.Values)
            # Help says "Required? true" only when the parameter is mandatory in every parameter set it belongs to.
            $optionalSomewhere = @($sets | Where-Object { -not $_.IsMandatory }).Count -gt 0
            @{
                ParameterName = $parameter.Name
                TypeName      = $parameter.ParameterType.Name
                Mandatory     = -not $optionalSomewhere
            }
        }
        @{
            CommandName    = $command.Name
            ParameterNames = @($parameterCases | ForEach-Object { $_.ParameterName })
            Parameters     = @($parameterCases)
        }
    }
}

Describe 'RootMail exports the cmdlets of the manifest' {
    BeforeAll {
        $manifest = Join-Path $PSScriptRoot '../../out/RootMail/RootMail.psd1'
        Import-Module $manifest -Force -ErrorAction Stop
        $declared = (Import-PowerShellDataFile -Path $manifest).CmdletsToExport
    }

    It 'exports exactly the cmdlets that RootMail.psd1 lists' {
        $exported = @(Get-Command -Module RootMail -CommandType Cmdlet | ForEach-Object { $_.Name } | Sort-Object)
        ($exported -join ',') | Should -Be ((@($declared) | Sort-Object) -join ',')
    }
}

Describe 'Help for <CommandName>' -ForEach $commandCases {
    BeforeAll {
        $manifest = Join-Path $PSScriptRoot '../../out/RootMail/RootMail.psd1'
        Import-Module $manifest -Force -ErrorAction Stop
        $help = Get-Help -Name $CommandName -Full -ErrorAction Stop
    }

    It 'comes from the help file, not from the syntax' {
        # Without a help file PowerShell makes a synopsis out of the syntax, with [<CommonParameters>] in it.
        $help.Synopsis | Should -Not -Match '\[<CommonParameters>\]'
        $help.Synopsis | Should -Not -BeLike "$CommandName *"
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and a title' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
            $example.Title | Should -Not -BeNullOrEmpty
            $example.Code | Should -Match ([regex]::Escape($CommandName))
        }
    }

    It 'names its output type' {
        @($help.ReturnValues.ReturnValue).Count | Should -BeGreaterOrEqual 1
        ($help.ReturnValues | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'links to about_RootMail' {
        @($help.RelatedLinks.NavigationLink | ForEach-Object { $_.LinkText }) | Should -Contain 'about_RootMail'
    }

    It 'describes no parameter that the cmdlet lacks' {
        $helpNames = @($help.Parameters.Parameter | ForEach-Object { $_.Name })
        $extra = @($helpNames | Where-Object { $ParameterNames -notcontains $_ })
        $extra | Should -BeNullOrEmpty
    }

    Context 'parameter -<ParameterName>' -ForEach $Parameters {
        BeforeAll {
            $parameterHelp = $help.Parameters.Parameter | Where-Object { $_.Name -eq $ParameterName }
        }

        It 'has help' {
            $parameterHelp | Should -Not -BeNullOrEmpty
        }

        It 'has a description' {
            ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }

        It 'has the right Required flag' {
            $parameterHelp.Required | Should -Be $Mandatory.ToString().ToLowerInvariant()
        }

        It 'has the right type' {
            $helpType = if ($parameterHelp.ParameterValue) { "$($parameterHelp.ParameterValue)".Trim() }
            $helpType | Should -Be $TypeName
        }
    }
}

Describe 'about_RootMail' {
    BeforeAll {
        $manifest = Join-Path $PSScriptRoot '../../out/RootMail/RootMail.psd1'
        Import-Module $manifest -Force -ErrorAction Stop
        $about = Get-Help -Name about_RootMail -ErrorAction Stop | Out-String
    }

    It 'is installed with the module' {
        $about | Should -Match 'about_RootMail'
    }

    It 'explains every alias status' {
        foreach ($status in 'Reserved', 'Available', 'Assigned', 'Registered', 'Retired') {
            $about | Should -Match $status
        }
    }

    It 'lists the error ids of the module' {
        foreach ($id in 'RootMail.InvalidAccountId', 'RootMail.AliasNotFound', 'RootMail.AccountAlreadyRegistered',
            'RootMail.PoolExhausted', 'RootMail.RegistryNotConnected', 'RootMail.ExchangeNotConnected') {
            $about | Should -Match ([regex]::Escape($id))
        }
    }
}
