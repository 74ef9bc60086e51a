@echo off
rem Courier launcher (distribution) for Windows. Needs Java 17 or newer: %JAVA_HOME%\bin\java.exe, else java
rem on the PATH. COURIER_OPTS and JAVA_OPTS pass options to the JVM.
setlocal
set "COURIER_HOME=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" %JAVA_OPTS% %COURIER_OPTS% "-Dcourier.home=%COURIER_HOME%" -cp "%COURIER_HOME%\lib\*" io.courier.cli.Courier %*
exit /b %ERRORLEVEL%
