package dev.reelfarm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.RepoLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The eval's prompts and shapes world, read and checked before any farm starts. */
record EvalInputs(Path promptsFile, Path paletteFile, ShapesWorld world, List<EvalPrompt> prompts) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws EvalSetupException when a file is missing or malformed
   */
  static EvalInputs load(EvalSettings settings, Optional<RepoLayout> layout) {
    Path promptsFile =
        settings.prompts() != null
            ? settings.prompts()
            : layout
                .map(l -> l.root().resolve(EvalSettings.DEFAULT_PROMPTS))
                .orElseThrow(
                    () ->
                        new EvalSetupException(
                            "not inside a Reelfarm checkout: pass --prompts FILE"));
    Path paletteFile =
        settings.palette() != null
            ? settings.palette()
            : promptsFile.toAbsolutePath().resolveSibling("palette.json");
    List<String> lines;
    try {
      lines = Files.readAllLines(promptsFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EvalSetupException("cannot read the prompts " + promptsFile + ": " + e);
    }
    ShapesWorld world;
    try {
      world = ShapesWorld.fromJson(JSON.readTree(paletteFile.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new EvalSetupException(
          "cannot read the palette " + paletteFile + ": " + e.getMessage());
    }
    List<EvalPrompt> prompts;
    try {
      prompts = EvalPrompt.parse(lines, world);
    } catch (IllegalArgumentException e) {
      throw new EvalSetupException(promptsFile + ": " + e.getMessage());
    }
    Integer limit = settings.limit();
    if (limit != null && limit < prompts.size()) prompts = prompts.subList(0, limit);
    return new EvalInputs(promptsFile, paletteFile, world, prompts);
  }
}
