/* test/fuzz/fuzz_verify_cell_kzg_proof_batch.c — kzg_verify_cell_kzg_proof_batch.
 * Two blobs are prepared once per process with their commitments, cells and proofs: a
 * fixed pseudo-random blob and the zero blob (commitment and proofs at infinity).
 * Input: MODE, N (0..4 from one byte), N × entry, then cell bytes (raw mode).
 *   entry: SEL (bit 0: which blob), IDX, COMMITMENT mask (48), PROOF mask (48), POS (2
 *          bytes: a byte of the cell), XOR (1 byte: XORed into the cell at POS).
 * MODE & 1 = derived: the real commitment, cell IDX % 128 and its proof, XORed with the
 * entry's masks; with MODE & 4 an IDX >= 128 is kept (out of range). Otherwise raw: the
 * commitment and proof are the mask bytes and the cell comes from the input's tail (its
 * elements made canonical when MODE & 2).
 * Properties: failures follow the kzg.h contract (*ok false, only for malformed batches);
 * a well-formed batch's answer is the AND of its entries verified one by one; in derived
 * mode a batch of untouched entries verifies and a touched well-formed entry (another
 * commitment, cell or proof than the real one) does not (soundness). */
#include "fuzz_common.h"

#define CELLS KZG_CELLS_PER_EXT_BLOB
#define MAX_N 4

typedef struct prepared {
    kzg_commitment commitment;
    kzg_cell cells[CELLS];
    kzg_proof proofs[CELLS];
} prepared;

/* Built once (one FK20 run per blob); freed by process exit, like fuzz_ctx. */
static prepared *fuzz_prepared;

static const prepared *blobs_prepared(const kzg_ctx *ctx) {
    if (!fuzz_prepared) {
        kzg_blob *blob = fuzz_blob_alloc();
        uint64_t s = 0x7594;
        fuzz_prepared = calloc(2, sizeof *fuzz_prepared);
        if (!fuzz_prepared) {
            fprintf(stderr, "fuzz: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < sizeof blob->bytes; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            blob->bytes[i] = (uint8_t)(s >> 56);
        }
        for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_BLOB; i++) blob->bytes[32 * i] &= 0x3f;
        for (int b = 0; b < 2; b++) {
            if (b == 1) memset(blob->bytes, 0, sizeof blob->bytes);
            FUZZ_CHECK(kzg_blob_to_kzg_commitment(ctx, &fuzz_prepared[b].commitment, blob) ==
                       KZG_OK);
            FUZZ_CHECK(kzg_compute_cells_and_kzg_proofs(ctx, fuzz_prepared[b].cells,
                                                        fuzz_prepared[b].proofs, blob) == KZG_OK);
        }
        free(blob);
    }
    return fuzz_prepared;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const kzg_ctx *ctx = fuzz_ctx();
    const prepared *pre = blobs_prepared(ctx);
    fuzz_reader r = {data, size};
    unsigned mode = fuzz_byte(&r);
    size_t n = fuzz_byte(&r) % (MAX_N + 1);
    bool derived = (mode & 1) != 0, all_truth = true, any_touched = false, ok = true;
    kzg_commitment c[MAX_N];
    kzg_proof p[MAX_N];
    uint64_t idx[MAX_N];
    bool truth[MAX_N];
    kzg_cell *cells = malloc(MAX_N * sizeof *cells);
    kzg_status st;

    if (!cells) return 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t sel = fuzz_byte(&r), ib = fuzz_byte(&r), pos_b[2], x;
        const prepared *b = &pre[sel & 1];
        kzg_commitment cm;
        kzg_proof pm;
        size_t pos;
        fuzz_take(&r, cm.bytes, sizeof cm.bytes);
        fuzz_take(&r, pm.bytes, sizeof pm.bytes);
        fuzz_take(&r, pos_b, sizeof pos_b);
        x = fuzz_byte(&r);
        pos = ((size_t)pos_b[0] << 8 | pos_b[1]) % KZG_BYTES_PER_CELL;
        if (derived) {
            bool touched;
            idx[k] = (mode & 4) ? ib : ib % CELLS;
            c[k] = b->commitment;
            p[k] = b->proofs[ib % CELLS];
            cells[k] = b->cells[ib % CELLS];
            touched = fuzz_xor(c[k].bytes, cm.bytes, sizeof cm.bytes);
            touched |= fuzz_xor(p[k].bytes, pm.bytes, sizeof pm.bytes);
            touched |= fuzz_xor(&cells[k].bytes[pos], &x, 1);
            truth[k] = !touched && idx[k] < CELLS;
            any_touched |= touched;
        } else {
            idx[k] = ib;
            c[k] = cm;
            p[k] = pm;
            memset(cells[k].bytes, 0, sizeof cells[k].bytes);
            if (r.left)
                for (size_t i = 0; i < KZG_BYTES_PER_CELL; i++)
                    cells[k].bytes[i] = r.p[(i + 131 * k) % r.left];
            if (mode & 2)
                for (size_t i = 0; i < KZG_FIELD_ELEMENTS_PER_CELL; i++) cells[k].bytes[32 * i] &= 0x3f;
            cells[k].bytes[pos] ^= x;
            truth[k] = false;
        }
        all_truth &= truth[k];
    }
    st = kzg_verify_cell_kzg_proof_batch(ctx, &ok, n ? c : NULL, n ? idx : NULL, n ? cells : NULL,
                                         n ? p : NULL, n);
    if (st != KZG_OK) {
        fuzz_check_failure(st, NULL, 0);
        FUZZ_CHECK(!ok);
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(!(derived && all_truth));
    } else {
        bool all = true;
        for (size_t k = 0; k < n; k++) {
            bool one = false;
            FUZZ_CHECK(kzg_verify_cell_kzg_proof_batch(ctx, &one, &c[k], &idx[k], &cells[k], &p[k],
                                                       1) == KZG_OK);
            all &= one;
            if (derived) FUZZ_CHECK(one == truth[k]);
        }
        FUZZ_CHECK(ok == all);
        if (n == 0 || (derived && all_truth)) FUZZ_CHECK(ok);
        if (derived && any_touched) FUZZ_CHECK(!ok);
    }
    free(cells);
    return 0;
}
