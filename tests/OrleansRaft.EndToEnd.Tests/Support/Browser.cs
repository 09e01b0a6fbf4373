using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>Headless Chromium from Debian's packages (chromium, chromium-driver; .ci/run installs them), driven by
/// Selenium with the driver named explicitly, so that nothing is downloaded. The flags keep Chromium off the network
/// (this machine's is closed) and out of any profile but a fresh one.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";

    public static ChromeDriver Start()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(Path.Combine(DriverDirectory, "chromedriver")))
            throw new InvalidOperationException($"the browser test needs Debian's chromium and chromium-driver ({ChromiumPath}, {DriverDirectory}/chromedriver): apt-get install -y chromium chromium-driver (.ci/run does)");
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,860",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"orleansraft-chromium-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Saves a screenshot under this project's TestResults folder (where dotnet test keeps its results) and
    /// returns its path.</summary>
    public static string SaveScreenshot(IWebDriver driver, string name)
    {
        var directory = Path.Combine(ProjectDirectory(), "TestResults");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansRaft.EndToEnd.Tests.csproj"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
