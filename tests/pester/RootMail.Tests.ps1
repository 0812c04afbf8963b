#Requires -Version 5.1
<#
.SYNOPSIS
    Pester 5 tests of RootMail as users run it: the built module against Azurite and the Exchange Online simulator.
.DESCRIPTION
    Needs:
      - the build: dotnet build RootMail.sln (lays out out/RootMail and out/RootMail.Simulator);
      - Pester 5: Install-Module Pester -MinimumVersion 5.0;
      - Azurite's table service on 127.0.0.1:10002, for example:
            npm ci --prefix tools/azurite
            npx --prefix tools/azurite azurite-table --inMemoryPersistence
    Without Azurite the tests are skipped with a warning. Every run uses a new table, and the simulated tenant
    pester.onmicrosoft.com is reset first, so runs never see each other's data.

        Invoke-Pester ./tests/pester -Output Detailed
#>

BeforeDiscovery {
    $azuriteUp = $false
    $probe = [System.Net.Sockets.TcpClient]::new()
    try {
        $azuriteUp = $probe.ConnectAsync('127.0.0.1', 10002).Wait(2000)
    }
    catch {
        $azuriteUp = $false
    }
    finally {
        $probe.Dispose()
    }
    if (-not $azuriteUp) {
        Write-Warning 'Azurite is not listening on 127.0.0.1:10002: the RootMail tests are skipped. Start it with: npx --prefix tools/azurite azurite-table --inMemoryPersistence'
    }
    $isCore = $PSVersionTable.PSVersion.Major -ge 7
}

Describe 'RootMail against Azurite and the Exchange Online simulator' -Tag 'Azurite' -Skip:(-not $azuriteUp) {

    BeforeAll {
        $outDir = Join-Path $PSScriptRoot '../../out'
        $script:RootMailManifest = Join-Path $outDir 'RootMail/RootMail.psd1'
        $script:SimulatorManifest = Join-Path $outDir 'RootMail.Simulator/RootMail.Simulator.psd1'
        Import-Module $script:RootMailManifest -Force -ErrorAction Stop
        Import-Module $script:SimulatorManifest -Force -ErrorAction Stop

        $script:Domain = 'contoso.test'
        Connect-ExchangeOnline -Organization pester.onmicrosoft.com -AcceptedDomain $script:Domain
        Reset-ExoSimulator -Confirm:$false
        # The pool's forwarding target must exist in the tenant.
        New-Mailbox -Shared -Name 'AWS Root Admins' -PrimarySmtpAddress "aws-admins@$($script:Domain)" | Out-Null

        $script:TableName = 'pester' + [guid]::NewGuid().ToString('N').Substring(0, 16)
        $script:Connection = Connect-AwsRootRegistry -UseDevelopmentStorage -TableName $script:TableName -ErrorAction Stop

        function Get-ExchangeCallCount {
            (Get-ExoSimulatorStatistic).Total
        }

        function Get-ProxyAddress {
            param([string] $Identity)
            @((Get-Mailbox -Identity $Identity).EmailAddresses)
        }

        function Get-AliasAddress {
            # Not @(...).Address: an array has an Address() method of its own, which member access would return.
            param([Parameter(ValueFromPipeline)] $InputObject)
            process { $InputObject.Address }
        }

        function Get-RegistrySnapshot {
            # Every alias with its status, and every mailbox with its usage, as one comparable string.
            $aliases = @(Get-AwsRootAlias -ErrorAction Stop | ForEach-Object { '{0}={1}' -f $_.Address, $_.Status })
            $mailboxes = @(Get-AwsRootMailbox -ErrorAction Stop | ForEach-Object { '{0}:{1}' -f $_.Name, $_.Used })
            $pool = Get-AwsRootPool -Pool default -ErrorAction Stop
            (@($aliases | Sort-Object) + @($mailboxes | Sort-Object) + @("capacity:$($pool.MailboxCapacity)")) -join ';'
        }
    }

    AfterAll {
        Disconnect-AwsRootRegistry
        Disconnect-ExchangeOnline -Confirm:$false
        Remove-Module RootMail, RootMail.Simulator -Force -ErrorAction SilentlyContinue
    }

    Context 'Connection' {
        It 'returns a connection summary that holds no secret' {
            $script:Connection.PSObject.TypeNames[0] | Should -Be 'RootMail.RegistryConnectionInfo'
            $script:Connection.TableName | Should -Be $script:TableName
            $script:Connection.Authentication | Should -Be 'DevelopmentStorage'
            $script:Connection.SchemaVersion | Should -Be 1
            # Azurite's well-known (public) account key must never be shown.
            ($script:Connection | Format-List * | Out-String) | Should -Not -Match 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'
        }

        It 'refuses a table name that Azure would refuse' {
            { Connect-AwsRootRegistry -UseDevelopmentStorage -TableName 'no-dashes' -ErrorAction Stop } |
                Should -Throw -ErrorId 'RootMail.InvalidTableName*'
        }

        It 'says to connect first in a runspace that is not connected' {
            Disconnect-AwsRootRegistry
            try {
                { Get-AwsRootPool -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.RegistryNotConnected*'
            }
            finally {
                $null = Connect-AwsRootRegistry -UseDevelopmentStorage -TableName $script:TableName -ErrorAction Stop
            }
        }
    }

    Context 'Pools' {
        It 'needs a domain to create a pool' {
            { Set-AwsRootPool -Pool nodomain -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.PoolDomainRequired*'
        }

        It 'creates the default pool with the default settings' {
            $pool = Set-AwsRootPool -Domain $script:Domain -ForwardingAddress "aws-admins@$($script:Domain)" -MailboxCapacity 50 -PassThru -ErrorAction Stop
            $pool.PSObject.TypeNames[0] | Should -Be 'RootMail.AwsRootPool'
            $pool.Name | Should -Be 'default'
            $pool.Domain | Should -Be $script:Domain
            $pool.AddressTemplate | Should -Be 'aws-{name}-{random}'
            $pool.MailboxCapacity | Should -Be 50
            $pool.ForwardingAddress | Should -Be "aws-admins@$($script:Domain)"
            $pool.MailboxNamePrefix | Should -Be 'awsroot-'
        }

        It 'reads the pool back' {
            (Get-AwsRootPool -Pool default).Domain | Should -Be $script:Domain
            @(Get-AwsRootPool).Name | Should -Contain 'default'
        }

        It 'reports a missing pool' {
            { Get-AwsRootPool -Pool nosuchpool -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.PoolNotFound*'
        }
    }

    Context 'Mailboxes' {
        It 'creates a hidden, tagged, forwarding shared mailbox and records it' {
            $mailbox = New-AwsRootMailbox -ErrorAction Stop
            $mailbox.PSObject.TypeNames[0] | Should -Be 'RootMail.AwsRootMailbox'
            $mailbox.Name | Should -Be 'awsroot-001'
            $mailbox.PrimarySmtpAddress | Should -Be "awsroot-001@$($script:Domain)"
            $mailbox.Capacity | Should -Be 50
            $mailbox.Used | Should -Be 0
            $mailbox.Free | Should -Be 50

            $exchange = Get-Mailbox -Identity awsroot-001
            $exchange.RecipientTypeDetails | Should -Be 'SharedMailbox'
            $exchange.HiddenFromAddressListsEnabled | Should -BeTrue
            $exchange.CustomAttribute1 | Should -Be 'RootMail:default'
            $exchange.ForwardingSmtpAddress | Should -Match ([regex]::Escape("aws-admins@$($script:Domain)"))
        }

        It 'creates a second mailbox with its own capacity' {
            $mailbox = New-AwsRootMailbox -Capacity 20 -ErrorAction Stop
            $mailbox.Name | Should -Be 'awsroot-002'
            $mailbox.Capacity | Should -Be 20
        }

        It 'refuses a mailbox that is already in the pool' {
            { New-AwsRootMailbox -Name awsroot-001 -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.MailboxAlreadyInPool*'
        }

        It 'lists the pool mailboxes' {
            (@(Get-AwsRootMailbox).Name -join ',') | Should -Be 'awsroot-001,awsroot-002'
        }
    }

    Context 'Provisioning and hand-out' {
        It 'provisions Available aliases with one Set-Mailbox call' {
            $before = Get-ExoSimulatorStatistic
            $script:Provisioned = @(New-AwsRootAlias -Count 30 -ErrorAction Stop)
            $after = Get-ExoSimulatorStatistic

            $script:Provisioned.Count | Should -Be 30
            $script:Provisioned | ForEach-Object { $_.Status | Should -Be 'Available' }
            $script:Provisioned | ForEach-Object { $_.Address | Should -MatchExactly "^[a-z0-9._+-]+@$([regex]::Escape($script:Domain))$" }
            $script:Provisioned | ForEach-Object { $_.Address.Length | Should -BeLessOrEqual 64 }
            @($script:Provisioned | Get-AliasAddress | Select-Object -Unique).Count | Should -Be 30
            ($after.SetMailbox - $before.SetMailbox) | Should -Be 1
            ($after.AddressesAdded - $before.AddressesAdded) | Should -Be 30
        }

        It 'puts the provisioned addresses on the mailbox in Exchange' {
            $proxies = Get-ProxyAddress -Identity awsroot-001
            foreach ($alias in $script:Provisioned) {
                $proxies | Should -Contain "smtp:$($alias.Address)"
            }
            (Get-AwsRootMailbox -Identity awsroot-001).Used | Should -Be 30
        }

        It 'hands out an Available alias without calling Exchange' {
            $calls = Get-ExchangeCallCount
            $alias = New-AwsRootAlias -RequestedBy 'Alice@Contoso.test' -AccountName 'Team Gamma Test' -ErrorAction Stop
            Get-ExchangeCallCount | Should -Be $calls
            $alias.PSObject.TypeNames[0] | Should -Be 'RootMail.AwsRootAlias'
            $alias.Status | Should -Be 'Assigned'
            $alias.RequestedBy | Should -Be 'alice@contoso.test'
            $alias.AccountName | Should -Be 'Team Gamma Test'
            $script:Provisioned | Get-AliasAddress | Should -Contain $alias.Address
            $script:Unregistered = $alias.Address
        }

        It 'hands out and registers in one pipeline' {
            $alias = New-AwsRootAlias -RequestedBy alice@contoso.test -AccountName 'Team Alpha Prod' |
                Register-AwsAccountAlias -AccountId '012345678901' -ErrorAction Stop
            $alias.Status | Should -Be 'Registered'
            $alias.AccountId | Should -BeOfType [string]
            $alias.AccountId | Should -Be '012345678901'
            $alias.AccountName | Should -Be 'Team Alpha Prod'
            $script:Registered = $alias.Address
        }

        It 'treats the same registration again as a no-op' {
            $again = Register-AwsAccountAlias -Address $script:Registered -AccountId '012345678901' -ErrorAction Stop
            $again.Status | Should -Be 'Registered'
        }

        It 'refuses to bind an account a second time' {
            { Register-AwsAccountAlias -Address $script:Unregistered -AccountId '012345678901' -ErrorAction Stop } |
                Should -Throw -ErrorId 'RootMail.AccountAlreadyRegistered*'
        }

        It 'refuses to bind an alias to a second account' {
            { Register-AwsAccountAlias -Address $script:Registered -AccountId '111111111111' -ErrorAction Stop } |
                Should -Throw -ErrorId 'RootMail.AliasAlreadyRegistered*'
        }

        It 'makes a new address with the account name when the mailbox has no Available alias' {
            $before = Get-ExoSimulatorStatistic
            $alias = New-AwsRootAlias -RequestedBy bob@contoso.test -AccountName 'Team Beta Dev' -Mailbox awsroot-002 -ErrorAction Stop
            $after = Get-ExoSimulatorStatistic
            $alias.Status | Should -Be 'Assigned'
            $alias.Mailbox | Should -Be "awsroot-002@$($script:Domain)"
            $alias.Address | Should -BeLike "aws-team-beta-dev-*@$($script:Domain)"
            ($after.SetMailbox - $before.SetMailbox) | Should -Be 1
            Get-ProxyAddress -Identity awsroot-002 | Should -Contain "smtp:$($alias.Address)"
            $script:BobAlias = $alias.Address
        }

        It 'refuses to provision more than the pool can hold, and writes nothing' {
            $snapshot = Get-RegistrySnapshot
            { New-AwsRootAlias -Count 1000 -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.PoolExhausted*'
            Get-RegistrySnapshot | Should -Be $snapshot
        }
    }

    Context 'Lookups' {
        It 'finds an alias by address' {
            (Get-AwsRootAlias -Address $script:Registered).AccountId | Should -Be '012345678901'
        }

        It 'finds an alias by AWS account' {
            (Get-AwsRootAlias -AccountId '012345678901').Address | Should -Be $script:Registered
        }

        It 'finds the aliases of a requester' {
            $found = @(Get-AwsRootAlias -RequestedBy alice@contoso.test)
            $found.Count | Should -Be 2
            $found | Get-AliasAddress | Should -Contain $script:Registered
            $found | Get-AliasAddress | Should -Contain $script:Unregistered
        }

        It 'counts the Available aliases' {
            @(Get-AwsRootAlias -Status Available).Count | Should -Be 28
        }

        It 'finds the aliases of a mailbox' {
            (@(Get-AwsRootAlias -Mailbox awsroot-002 | Get-AliasAddress) -join ',') | Should -Be $script:BobAlias
        }

        It 'finds the mailbox that receives an account''s mail' {
            (Get-AwsRootMailbox -AccountId '012345678901').PrimarySmtpAddress | Should -Be "awsroot-001@$($script:Domain)"
        }

        It 'goes from an alias to its mailbox through the pipeline' {
            (Get-AwsRootAlias -Address $script:BobAlias | Get-AwsRootMailbox).Name | Should -Be 'awsroot-002'
        }

        It 'reports an unknown address' {
            { Get-AwsRootAlias -Address "nobody@$($script:Domain)" -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.AliasNotFound*'
        }
    }

    Context 'Bad input gets a RootMail error and writes nothing' {
        BeforeAll {
            $script:BeforeBadInput = Get-RegistrySnapshot
            $script:CallsBeforeBadInput = Get-ExchangeCallCount
        }

        It 'rejects <Case> with <ErrorId>' -ForEach @(
            @{ Case = 'an 11-digit account ID'; ErrorId = 'RootMail.InvalidAccountId'; Command = 'Register-AwsAccountAlias -Address $script:Unregistered -AccountId 12345678901' }
            @{ Case = 'an account ID with letters'; ErrorId = 'RootMail.InvalidAccountId'; Command = 'Register-AwsAccountAlias -Address $script:Unregistered -AccountId ''01234567890a''' }
            @{ Case = 'an account ID lookup that is too short'; ErrorId = 'RootMail.InvalidAccountId'; Command = 'Get-AwsRootAlias -AccountId ''123''' }
            @{ Case = 'a requester that is no e-mail address'; ErrorId = 'RootMail.InvalidEmailAddress'; Command = 'New-AwsRootAlias -RequestedBy ''not-an-address''' }
            @{ Case = 'an account name over 50 characters'; ErrorId = 'RootMail.InvalidAccountName'; Command = 'New-AwsRootAlias -RequestedBy carol@contoso.test -AccountName (''x'' * 51)' }
            @{ Case = 'an invalid pool name'; ErrorId = 'RootMail.InvalidPoolName'; Command = 'New-AwsRootAlias -RequestedBy carol@contoso.test -Pool ''no such pool!''' }
            @{ Case = 'a count of zero'; ErrorId = 'RootMail.InvalidCount'; Command = 'New-AwsRootAlias -Count 0' }
            @{ Case = 'a capacity over 400'; ErrorId = 'RootMail.InvalidCapacity'; Command = 'Set-AwsRootPool -MailboxCapacity 401' }
            @{ Case = 'a template without enough randomness'; ErrorId = 'RootMail.InvalidAddressTemplate'; Command = 'Set-AwsRootPool -AddressTemplate ''aws-{name}''' }
            @{ Case = 'a domain without a dot'; ErrorId = 'RootMail.InvalidDomain'; Command = 'Set-AwsRootPool -Pool other -Domain ''localhost''' }
            @{ Case = 'an address longer than 64 characters'; ErrorId = 'RootMail.InvalidAliasAddress'; Command = 'Get-AwsRootAlias -Address ((''a'' * 60) + ''@contoso.test'')' }
            @{ Case = 'an address outside the pool''s domain'; ErrorId = 'RootMail.AddressNotInPoolDomain'; Command = 'Get-AwsRootAlias -Address ''someone@fabrikam.test''' }
            @{ Case = 'an unknown mailbox'; ErrorId = 'RootMail.MailboxNotFound'; Command = 'New-AwsRootAlias -RequestedBy carol@contoso.test -Mailbox awsroot-999' }
            @{ Case = '-Release with -RemoveAddress'; ErrorId = 'RootMail.InvalidArgumentCombination'; Command = 'Remove-AwsRootAlias -Address $script:Unregistered -Release -RemoveAddress -Confirm:$false' }
        ) {
            # Created here and run from a literal block, so that $script: resolves in this file's scope.
            $block = [scriptblock]::Create($Command + ' -ErrorAction Stop')
            { & $block } | Should -Throw -ErrorId "$ErrorId*"
        }

        It 'left the registry and Exchange as they were' {
            Get-RegistrySnapshot | Should -Be $script:BeforeBadInput
            Get-ExchangeCallCount | Should -Be $script:CallsBeforeBadInput
        }

        It 'puts the failing value in the error record' {
            try {
                Register-AwsAccountAlias -Address $script:Unregistered -AccountId '42' -ErrorAction Stop
                throw 'no error'
            }
            catch {
                $_.FullyQualifiedErrorId | Should -BeLike 'RootMail.InvalidAccountId,*'
                $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $_.TargetObject | Should -Be '42'
                $_.Exception.Message | Should -Match '12 digits'
            }
        }
    }

    Context '-WhatIf changes nothing' {
        BeforeAll {
            $script:BeforeWhatIf = Get-RegistrySnapshot
            $script:CallsBeforeWhatIf = Get-ExchangeCallCount
        }

        It '<Command> writes no object and changes nothing' -ForEach @(
            @{ Command = 'Set-AwsRootPool -MailboxCapacity 10 -PassThru' }
            @{ Command = 'New-AwsRootMailbox' }
            @{ Command = 'New-AwsRootAlias -RequestedBy carol@contoso.test -AccountName ''Team Delta''' }
            @{ Command = 'New-AwsRootAlias -RequestedBy carol@contoso.test -Mailbox awsroot-002' }
            @{ Command = 'New-AwsRootAlias -Count 5' }
            @{ Command = 'Register-AwsAccountAlias -Address $script:Unregistered -AccountId ''222222222222''' }
            @{ Command = 'Remove-AwsRootAlias -Address $script:Registered -PassThru' }
            @{ Command = 'Remove-AwsRootAlias -Address $script:BobAlias -RemoveAddress -PassThru' }
            @{ Command = 'Remove-AwsRootAlias -Address $script:Unregistered -Release -PassThru' }
        ) {
            $output = & ([scriptblock]::Create($Command + ' -WhatIf -ErrorAction Stop'))
            $output | Should -BeNullOrEmpty
            Get-RegistrySnapshot | Should -Be $script:BeforeWhatIf
            Get-ExchangeCallCount | Should -Be $script:CallsBeforeWhatIf
        }
    }

    Context 'Retirement and release' {
        It 'retires the alias of a closed account and keeps its address on the mailbox' {
            $retired = Remove-AwsRootAlias -AccountId '012345678901' -Confirm:$false -PassThru -ErrorAction Stop
            $retired.Status | Should -Be 'Retired'
            $retired.RetiredAt | Should -Not -BeNullOrEmpty
            $retired.AccountId | Should -Be '012345678901'
            Get-ProxyAddress -Identity awsroot-001 | Should -Contain "smtp:$($script:Registered)"
        }

        It 'frees the account for a new alias' {
            { Get-AwsRootAlias -AccountId '012345678901' -ErrorAction Stop } | Should -Throw -ErrorId 'RootMail.AliasNotFound*'
            (Get-AwsRootAlias -Address $script:Registered).Status | Should -Be 'Retired'
        }

        It 'never registers a retired alias again' {
            { Register-AwsAccountAlias -Address $script:Registered -AccountId '333333333333' -ErrorAction Stop } |
                Should -Throw -ErrorId 'RootMail.AliasNotAssigned*'
        }

        It 'never releases a retired alias' {
            { Remove-AwsRootAlias -Address $script:Registered -Release -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RootMail.CannotRelease*'
        }

        It 'retires a retired alias again without error' {
            (Remove-AwsRootAlias -Address $script:Registered -Confirm:$false -PassThru -ErrorAction Stop).Status | Should -Be 'Retired'
        }

        It 'releases an unregistered alias back to Available' {
            $released = Remove-AwsRootAlias -Address $script:Unregistered -Release -Confirm:$false -PassThru -ErrorAction Stop
            $released.Status | Should -Be 'Available'
            $released.RequestedBy | Should -BeNullOrEmpty
            Get-AwsRootAlias -Status Available | Get-AliasAddress | Should -Contain $script:Unregistered
            Get-AwsRootAlias -RequestedBy alice@contoso.test | Get-AliasAddress | Should -Not -Contain $script:Unregistered
        }

        It 'removes the address from Exchange with -RemoveAddress and gives the capacity back' {
            $used = (Get-AwsRootMailbox -Identity awsroot-002).Used
            $removed = Remove-AwsRootAlias -Address $script:BobAlias -RemoveAddress -Confirm:$false -PassThru -ErrorAction Stop
            $removed.Status | Should -Be 'Retired'
            $removed.AddressRemoved | Should -BeTrue
            Get-ProxyAddress -Identity awsroot-002 | Should -Not -Contain "smtp:$($script:BobAlias)"
            (Get-AwsRootMailbox -Identity awsroot-002).Used | Should -Be ($used - 1)
        }

        It 'never hands out a retired alias' {
            $retired = @($script:Registered, $script:BobAlias)
            $handed = @(1..5 | ForEach-Object { New-AwsRootAlias -RequestedBy dave@contoso.test -ErrorAction Stop })
            $handed.Count | Should -Be 5
            foreach ($alias in $handed) {
                $retired | Should -Not -Contain $alias.Address
            }
        }
    }

    Context 'Concurrency' -Skip:(-not $isCore) {
        It 'hands a different alias to each of 8 parallel runspaces' {
            $rootMail = $script:RootMailManifest
            $simulator = $script:SimulatorManifest
            $table = $script:TableName
            $available = @(Get-AwsRootAlias -Status Available).Count
            $available | Should -BeGreaterOrEqual 8

            $handed = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:rootMail -ErrorAction Stop
                Import-Module $using:simulator -ErrorAction Stop
                Connect-ExchangeOnline -Organization pester.onmicrosoft.com
                $null = Connect-AwsRootRegistry -UseDevelopmentStorage -TableName $using:table -ErrorAction Stop
                New-AwsRootAlias -RequestedBy "parallel$_@contoso.test" -ErrorAction Stop
            }

            @($handed).Count | Should -Be 8
            @($handed | Get-AliasAddress | Select-Object -Unique).Count | Should -Be 8
            @(Get-AwsRootAlias -Status Available).Count | Should -Be ($available - 8)
        }
    }
}
