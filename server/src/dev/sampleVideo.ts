/**
 * A tiny playable MP4 for the demo videos, made in code so the repository holds no binary and
 * needs no encoder: H.264 Constrained Baseline where every macroblock is I_PCM (raw samples, so
 * no transform or entropy coder is needed), one flat colour per second, in a plain
 * progressive-download MP4 (moov before mdat). About 5 KB per second at 64×48.
 * References: ITU-T H.264 §7.3 (syntax), ISO/IEC 14496-12 (MP4 boxes), 14496-15 (avcC).
 */

/** Writes an RBSP bit by bit: fixed-width fields and Exp-Golomb codes. */
class BitWriter {
  private bytes: number[] = [];
  private cur = 0;
  private n = 0;
  bit(b: number) {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.n === 8) (this.bytes.push(this.cur), (this.cur = 0), (this.n = 0));
  }
  u(bits: number, value: number) {
    for (let i = bits - 1; i >= 0; i--) this.bit((value >> i) & 1);
  }
  ue(value: number) {
    const v = value + 1;
    const len = Math.floor(Math.log2(v));
    this.u(len, 0);
    this.u(len + 1, v);
  }
  se(value: number) {
    this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }
  alignZero() {
    while (this.n !== 0) this.bit(0);
  }
  byte(v: number) {
    this.u(8, v);
  }
  /** rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary. */
  trailing(): Buffer {
    this.bit(1);
    this.alignZero();
    return Buffer.from(this.bytes);
  }
}

/** A NAL unit: header byte + the RBSP with emulation-prevention bytes (00 00 0x → 00 00 03 0x). */
function nal(header: number, rbsp: Buffer): Buffer {
  const out = [header];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) (out.push(3), (zeros = 0));
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}

const PROFILE = 66; // Baseline
const COMPAT = 0xc0; // constraint_set0 + constraint_set1: Constrained Baseline
const LEVEL = 30;

function sps(mbW: number, mbH: number): Buffer {
  const w = new BitWriter();
  w.byte(PROFILE);
  w.byte(COMPAT);
  w.byte(LEVEL);
  w.ue(0); // seq_parameter_set_id
  w.ue(0); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type: output order = decode order
  w.ue(1); // max_num_ref_frames
  w.u(1, 0); // gaps_in_frame_num_value_allowed_flag
  w.ue(mbW - 1);
  w.ue(mbH - 1);
  w.u(1, 1); // frame_mbs_only_flag
  w.u(1, 1); // direct_8x8_inference_flag
  w.u(1, 0); // frame_cropping_flag
  w.u(1, 0); // vui_parameters_present_flag
  return nal(0x67, w.trailing());
}

function pps(): Buffer {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.u(1, 0); // entropy_coding_mode_flag: CAVLC
  w.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.u(1, 0); // weighted_pred_flag
  w.u(2, 0); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.u(1, 0); // deblocking_filter_control_present_flag
  w.u(1, 0); // constrained_intra_pred_flag
  w.u(1, 0); // redundant_pic_cnt_present_flag
  return nal(0x68, w.trailing());
}

/** One IDR picture of a flat colour: every macroblock I_PCM. */
function idrSlice(mbCount: number, idrPicId: number, [y, cb, cr]: [number, number, number]): Buffer {
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I (all slices of the picture)
  w.ue(0); // pic_parameter_set_id
  w.u(4, 0); // frame_num (0 for IDR)
  w.ue(idrPicId); // consecutive IDR pictures need different ids
  w.u(1, 0); // no_output_of_prior_pics_flag
  w.u(1, 0); // long_term_reference_flag
  w.se(0); // slice_qp_delta
  for (let mb = 0; mb < mbCount; mb++) {
    w.ue(25); // mb_type I_PCM
    w.alignZero(); // pcm_alignment_zero_bit
    for (let i = 0; i < 256; i++) w.byte(y);
    for (let i = 0; i < 64; i++) w.byte(cb);
    for (let i = 0; i < 64; i++) w.byte(cr);
  }
  return nal(0x65, w.trailing());
}

// ---- MP4 boxes -----------------------------------------------------------------------------

const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => (b => (b.writeUInt16BE(v & 0xffff), b))(Buffer.alloc(2));
const u32 = (v: number) => (b => (b.writeUInt32BE(v >>> 0), b))(Buffer.alloc(4));
const zeros = (n: number) => Buffer.alloc(n);
const fourcc = (s: string) => Buffer.from(s, 'latin1');
function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), fourcc(type), body]);
}
const fullBox = (type: string, version: number, flags: number, ...parts: Buffer[]) => box(type, u8(version), u8(flags >> 16), u16(flags), ...parts);
const MATRIX = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));

/** YCbCr (BT.601 video range) of an sRGB colour. */
function ycbcr(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const clamp = (v: number) => Math.max(16, Math.min(240, Math.round(v)));
  return [clamp(16 + 0.257 * r + 0.504 * g + 0.098 * b), clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b), clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b)];
}

/** An MP4 showing each colour for one second, `width`×`height` (multiples of 16). */
export function sampleVideo(colours: string[], width = 64, height = 48): Buffer {
  const mbW = width / 16;
  const mbH = height / 16;
  const spsNal = sps(mbW, mbH);
  const ppsNal = pps();
  const samples = colours.map((c, i) => {
    const slice = idrSlice(mbW * mbH, i % 2, ycbcr(c));
    return Buffer.concat([u32(slice.length), slice]);
  });
  const timescale = 1000;
  const duration = colours.length * timescale;

  const avcC = box('avcC', u8(1), u8(PROFILE), u8(COMPAT), u8(LEVEL), u8(0xff), u8(0xe1), u16(spsNal.length), spsNal, u8(1), u16(ppsNal.length), ppsNal);
  const compressor = Buffer.concat([u8(0), zeros(31)]);
  const avc1 = box('avc1', zeros(6), u16(1), zeros(16), u16(width), u16(height), u32(0x00480000), u32(0x00480000), zeros(4), u16(1), compressor, u16(0x18), u16(0xffff), avcC);
  const moov = (chunkOffset: number) =>
    box(
      'moov',
      fullBox('mvhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u32(0x00010000), u16(0x0100), zeros(10), MATRIX, zeros(24), u32(2)),
      box(
        'trak',
        fullBox('tkhd', 0, 3, u32(0), u32(0), u32(1), zeros(4), u32(duration), zeros(8), u16(0), u16(0), u16(0), zeros(2), MATRIX, u32(width << 16), u32(height << 16)),
        box(
          'mdia',
          fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4), u16(0)),
          fullBox('hdlr', 0, 0, u32(0), fourcc('vide'), zeros(12), Buffer.from('VideoHandler\0', 'latin1')),
          box(
            'minf',
            fullBox('vmhd', 0, 1, zeros(8)),
            box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
            box(
              'stbl',
              fullBox('stsd', 0, 0, u32(1), avc1),
              fullBox('stts', 0, 0, u32(1), u32(samples.length), u32(timescale)),
              fullBox('stsc', 0, 0, u32(1), u32(1), u32(samples.length), u32(1)),
              fullBox('stsz', 0, 0, u32(0), u32(samples.length), ...samples.map((s) => u32(s.length))),
              fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
            ),
          ),
        ),
      ),
    );
  const ftyp = box('ftyp', fourcc('isom'), u32(0x200), fourcc('isom'), fourcc('iso2'), fourcc('avc1'), fourcc('mp41'));
  const offset = ftyp.length + moov(0).length + 8;
  return Buffer.concat([ftyp, moov(offset), box('mdat', ...samples)]);
}
