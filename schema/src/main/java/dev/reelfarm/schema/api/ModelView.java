package dev.reelfarm.schema.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A model the farm knows, in {@code GET /api/v1/models}: a bundle some worker reported (or the
 * farm's configured default), its native format and request defaults, whether it is the default for
 * requests that name no {@code model}, and how many live workers have it loaded now (0: its
 * requests queue until one does).
 */
@Schema(description = "A model bundle the farm can render with.")
public record ModelView(
    @Schema(
            required = true,
            description = "bundle.json's name; what a request's `model` names",
            examples = "tiny-shapes")
        String name,
    @Schema(nullable = true, description = "bundle.json's version", examples = "step14547")
        String version,
    @Schema(
            nullable = true,
            description = "sha256: over the bundle's files (as `GET /api/v1/farm/join` gives it)")
        String checksum,
    @Schema(required = true, description = "Width of the frames the model renders, in pixels")
        int nativeWidth,
    @Schema(required = true, description = "Height of the frames the model renders, in pixels")
        int nativeHeight,
    @Schema(required = true, description = "Frames per second the model renders") int nativeFps,
    @Schema(required = true, description = "Native frames in one chunk (the model's window)")
        int framesPerChunk,
    @Schema(required = true, description = "Denoising steps of a request that names none")
        int defaultSteps,
    @Schema(required = true, description = "Guidance scale of a request that names none")
        double defaultGuidanceScale,
    @Schema(required = true, description = "A random-weights test fixture (renders noise)")
        boolean testFixture,
    @Schema(required = true, description = "The model of a request that names no `model`")
        boolean isDefault,
    @Schema(required = true, description = "Live workers that have this model loaded")
        int liveWorkers) {}
