/**
 * The MediaConvert settings blocks a plan is assembled from (PascalCase, as CreateJob takes them):
 * the H.264 rendition, the AAC track (with a stereo downmix of surround sources), the HLS group and
 * the frame-capture groups. Pure builders; which outputs a job has is planned in plan-transcode.ts.
 */
import type { LadderRung } from './video-config.js';

// A JSON value as MediaConvert receives it. Kept loose on purpose: the Smithy model validates it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;

export const AUDIO_SELECTOR = 'Audio Selector 1';
const H264_GOP_SECONDS = 2;

export function h264Description(width: number, height: number, rung: LadderRung): JsonObject {
  return {
    Width: width,
    Height: height,
    ScalingBehavior: 'DEFAULT',
    AntiAlias: 'ENABLED',
    Sharpness: 50,
    TimecodeInsertion: 'DISABLED',
    ColorMetadata: 'INSERT',
    AfdSignaling: 'NONE',
    RespondToAfd: 'NONE',
    DropFrameTimecode: 'ENABLED',
    CodecSettings: {
      Codec: 'H_264',
      H264Settings: {
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: rung.qvbrQuality },
        MaxBitrate: rung.maxBitrate,
        CodecProfile: Math.min(width, height) <= 360 ? 'MAIN' : 'HIGH',
        CodecLevel: 'AUTO',
        InterlaceMode: 'PROGRESSIVE',
        FramerateControl: 'INITIALIZE_FROM_SOURCE',
        FramerateConversionAlgorithm: 'DUPLICATE_DROP',
        ParControl: 'SPECIFIED',
        ParNumerator: 1,
        ParDenominator: 1,
        GopSize: H264_GOP_SECONDS,
        GopSizeUnits: 'SECONDS',
        GopClosedCadence: 1,
        GopBReference: 'DISABLED',
        NumberBFramesBetweenReferenceFrames: 2,
        NumberReferenceFrames: 3,
        MinIInterval: 0,
        SceneChangeDetect: 'TRANSITION_DETECTION',
        QualityTuningLevel: 'SINGLE_PASS_HQ',
        AdaptiveQuantization: 'AUTO',
        EntropyEncoding: 'CABAC',
        Syntax: 'DEFAULT',
        Slices: 1,
        SlowPal: 'DISABLED',
        Telecine: 'NONE',
        RepeatPps: 'DISABLED',
        UnregisteredSeiTimecode: 'DISABLED',
      },
    },
  };
}

export function aacDescription(bitrate: number, channels: number | undefined): JsonObject {
  return {
    AudioSourceName: AUDIO_SELECTOR,
    AudioTypeControl: 'FOLLOW_INPUT',
    LanguageCodeControl: 'FOLLOW_INPUT',
    ...(channels !== undefined && channels > 2 ? { RemixSettings: stereoDownmix(channels) } : {}),
    CodecSettings: {
      Codec: 'AAC',
      AacSettings: {
        Bitrate: bitrate,
        CodingMode: channels === 1 ? 'CODING_MODE_1_0' : 'CODING_MODE_2_0',
        SampleRate: 48000,
        CodecProfile: 'LC',
        RateControlMode: 'CBR',
        RawFormat: 'NONE',
        Specification: 'MPEG4',
        AudioDescriptionBroadcasterMix: 'NORMAL',
      },
    },
  };
}

/**
 * A source with more than two channels (5.1, 7.1) mixed down to the stereo lectern publishes.
 * Without RemixSettings MediaConvert keeps only the first two channels (front left and right):
 * the centre channel, where a lecture's voice is, would be lost. Channels in SMPTE order (L R C
 * LFE Ls Rs [Lrs Rrs]): the fronts at 0 dB, the centre and the surrounds at -3 dB into their
 * side, the LFE left out (-60 dB is MediaConvert's mute), as the ITU-R BS.775 downmix does.
 */
export function stereoDownmix(channels: number): JsonObject {
  const MUTE = -60;
  const gains = (side: 0 | 1): number[] =>
    Array.from({ length: channels }, (_unused, index) => {
      if (index < 2) return index === side ? 0 : MUTE;
      if (index === 2) return -3;
      if (index === 3) return MUTE;
      return (index - 4) % 2 === side ? -3 : MUTE;
    });
  return {
    ChannelsIn: channels,
    ChannelsOut: 2,
    ChannelMapping: { OutputChannels: [{ InputChannels: gains(0) }, { InputChannels: gains(1) }] },
  };
}

export function hlsGroupSettings(destination: string, segmentSeconds: number, withCaptions: boolean): JsonObject {
  return {
    Destination: destination,
    SegmentLength: segmentSeconds,
    MinSegmentLength: 0,
    SegmentControl: 'SEGMENTED_FILES',
    SegmentLengthControl: 'GOP_MULTIPLE',
    DirectoryStructure: 'SINGLE_DIRECTORY',
    ManifestDurationFormat: 'FLOATING_POINT',
    OutputSelection: 'MANIFESTS_AND_SEGMENTS',
    ProgramDateTime: 'EXCLUDE',
    CodecSpecification: 'RFC_4281',
    StreamInfResolution: 'INCLUDE',
    ClientCache: 'ENABLED',
    ManifestCompression: 'NONE',
    TargetDurationCompatibilityMode: 'SPEC_COMPLIANT',
    // The captions are sidecar WebVTT renditions, not 608 captions in the video: no
    // CLOSED-CAPTIONS line in the master playlist (INSERT is for embedded 608), as AWS's own
    // templates set it.
    CaptionLanguageSetting: 'OMIT',
    ...(withCaptions ? { CaptionSegmentLengthControl: 'LARGE_SEGMENTS' } : {}),
  };
}

export function frameCaptureGroup(name: string, destination: string, size: { width: number; height: number }, capture: { every: number; max: number; quality: number }): JsonObject {
  return {
    Name: 'File Group',
    CustomName: name,
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      {
        Extension: 'jpg',
        ContainerSettings: { Container: 'RAW' },
        VideoDescription: {
          Width: size.width,
          Height: size.height,
          ScalingBehavior: 'DEFAULT',
          AntiAlias: 'ENABLED',
          Sharpness: 50,
          CodecSettings: {
            Codec: 'FRAME_CAPTURE',
            FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: capture.every, MaxCaptures: capture.max, Quality: capture.quality },
          },
        },
      },
    ],
  };
}
