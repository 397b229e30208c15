; Inno Setup 6 (6.3 or later) script: the Windows installer of 年度工作總報告編輯器 (workreport).
;
; Packs what build_installer.spec left in dist\workreport (workreport.exe, the windowed
; program; workreport-cli.exe, its console twin for batch files; _internal\) into
; dist\workreport-<version>-setup.exe.  Step by step: docs\installer.md.
;
;   pyinstaller --noconfirm build_installer.spec
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installer\workreport.iss
;
; The version is read from workreport.exe's version resource, which the spec writes from
; app.__version__ (tools\version_info.py): one version, everywhere.  /DAppVersion=x.y.z
; on the ISCC command line overrides it.
;
; This file must stay UTF-8 with a byte-order mark: Inno Setup reads a file without one
; in the ANSI code page, and the Chinese names below would turn into mojibake.

#define AppName "年度工作總報告編輯器"
#define AppPublisher "區公所年度工作總報告 (workreport)"
#define ExeName "workreport.exe"
#define CliName "workreport-cli.exe"
#define Payload AddBackslash(SourcePath) + "..\dist\workreport"
#define ProgId "workreport.Report"

#if !FileExists(Payload + "\" + ExeName)
  #error dist\workreport\workreport.exe not found: run "pyinstaller --noconfirm build_installer.spec" first (docs\installer.md)
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(Payload + "\" + ExeName, "ProductVersion")
#endif
#if AppVersion == ""
  #error workreport.exe has no ProductVersion: was it built by build_installer.spec on Windows?
#endif

[Setup]
; Never change AppId: it is how a newer setup finds and upgrades the installed program.
AppId={{80FB7194-9B49-4582-8C43-87ACB639BEEF}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#GetVersionNumbersString(Payload + "\" + ExeName)}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安裝程式
; C:\Program Files\workreport: an ASCII folder name, safe for every script and tool.
DefaultDirName={autopf}\workreport
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Program Files and an association for every user of the PC need administrator rights.
; A clerk without them can choose "install for me only" (%LOCALAPPDATA%\Programs, HKCU).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
; PySide6 ships x64 Qt only; Arm64 Windows 11 runs it emulated.  Qt 6 needs Windows 10 1809+.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
ChangesAssociations=yes
; Restart Manager: close a running workreport before replacing its files (edits are
; already in the report file — there is nothing to save).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\workreport.ico
UninstallDisplayIcon={app}\{#ExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\dist
OutputBaseFilename=workreport-{#AppVersion}-setup

[Languages]
; Traditional Chinese first: the wizard speaks it on Taiwanese Windows.  The file is in
; Inno Setup's Languages folder from 6.4 on; older versions keep it under Unofficial.
#if FileExists(CompilerPath + "Languages\ChineseTraditional.isl")
Name: "zhtw"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseTraditional.isl")
Name: "zhtw"; MessagesFile: "compiler:Languages\Unofficial\ChineseTraditional.isl"
#else
  #pragma message "ChineseTraditional.isl not found in the Inno Setup folder: the wizard will be in English"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "awr"; Description: "以本程式開啟 .awr 報告檔（按兩下即開啟）"; GroupDescription: "檔案關聯："
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: libraries that a newer build no longer ships must
; not linger in _internal and be picked up by the new program.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Payload}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#ExeName}"; Comment: "編寫區公所年度工作總報告"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#ExeName}"; Tasks: desktopicon

[Registry]
; .awr → workreport.Report → "workreport.exe" "%1".  HKA is HKLM for an all-users
; install and HKCU for "me only".  Uninstall removes the ProgID key and the values written
; here (uninsdeletekey / uninsdeletevalue); the .awr key itself may hold other programs'
; OpenWithProgids and stays.
Root: HKA; Subkey: "Software\Classes\.awr"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue; Tasks: awr
Root: HKA; Subkey: "Software\Classes\.awr"; ValueType: string; ValueName: "Content Type"; ValueData: "application/vnd.sqlite3"; Flags: uninsdeletevalue; Tasks: awr
Root: HKA; Subkey: "Software\Classes\.awr\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: awr
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "年度工作總報告"; Flags: uninsdeletekey; Tasks: awr
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#ExeName},0"; Tasks: awr
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#ExeName}"" ""%1"""; Tasks: awr
; "Open with" lists the program even when the association task was left unticked.
Root: HKA; Subkey: "Software\Classes\Applications\{#ExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#ExeName}\SupportedTypes"; ValueType: string; ValueName: ".awr"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#ExeName}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#ExeName}"" ""%1"""

[Run]
Filename: "{app}\{#ExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The user's reports and settings are not the program's: %APPDATA%\workreport (the first-start
; copy of the sample, logs, backups) and the .awr files wherever they were saved stay after
; uninstalling.  docs\installer.md says how to remove them by hand.
