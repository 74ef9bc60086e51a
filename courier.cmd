@echo off
rem Runs the courier CLI from this checkout on Windows, as ./courier does elsewhere. It builds the CLI first
rem when it was never built; set COURIER_REBUILD=1 to build again after changing the sources.
rem COURIER_OPTS and JAVA_OPTS pass options to the JVM. Needs Java 17 or newer: %JAVA_HOME%\bin\java.exe, else
rem java on the PATH.
setlocal
set "ROOT=%~dp0"
set "LIB=%ROOT%courier-cli\target\lib"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
if not exist "%LIB%\.built" set "COURIER_REBUILD=1"
if "%COURIER_REBUILD%"=="1" (
    echo courier: building the CLI... 1>&2
    pushd "%ROOT%"
    call mvnw.cmd -q -DskipTests package
    if errorlevel 1 (
        popd
        echo courier: the build failed; see the errors above, or run mvnw.cmd -DskipTests package 1>&2
        exit /b 1
    )
    popd
    type nul > "%LIB%\.built"
)
"%JAVA%" %JAVA_OPTS% %COURIER_OPTS% -cp "%LIB%\*" io.courier.cli.Courier %*
exit /b %ERRORLEVEL%
