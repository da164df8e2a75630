/**
 * The learned parameters every latent-factor recommender produces (Koren, Bell & Volinsky
 * 2009): a prediction is globalMean + userBias[u] + itemBias[i] + userFactors[u] . itemFactors[i].
 * Baseline has factors = 0; SVD++ stores its effective user vectors
 * p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j in userFactors (its y_j are kept in `extra`);
 * implicit-feedback models have no biases and a mean of 0 and predict preferences, not
 * ratings. Every estimator's fit returns a model built from one of these.
 */
import type { IdSpace } from '../data/ratings.js';

/** Algorithms that produce a {@link FactorModelState}. */
export type RecommenderAlgorithm = 'baseline' | 'funksvd' | 'svdpp' | 'als' | 'implicit-als';

/** Parameters of a fitted latent-factor model. Factor matrices are row-major f32. */
export interface FactorModelState {
  /** The estimator that fitted the model. */
  readonly algorithm: RecommenderAlgorithm;
  /** 'explicit' predicts ratings (clipped to ratingScale); 'implicit' predicts preference scores. */
  readonly kind: 'explicit' | 'implicit';
  /** ID space of the training ratings. */
  readonly ids: IdSpace;
  /** Latent dimension f (0 for Baseline). */
  readonly factors: number;
  /** Mean training rating mu (0 for implicit models). */
  readonly globalMean: number;
  /** b_u per user index (zeros when the model has no biases). */
  readonly userBias: Float32Array;
  /** b_i per item index. */
  readonly itemBias: Float32Array;
  /** p_u, nUsers x factors, row-major (user u at u * factors). */
  readonly userFactors: Float32Array;
  /** q_i, nItems x factors, row-major. */
  readonly itemFactors: Float32Array;
  /** [min, max] rating seen in training; predictions are clipped to it (explicit models). */
  readonly ratingScale: readonly [number, number];
  /** Items each user rated in training, as CSR (user u: seenItems[seenIndptr[u]..seenIndptr[u+1]]), for excludeSeen and cold-start decisions. */
  readonly seenIndptr: Int32Array;
  /** Item indices rated by each user, grouped by user as `seenIndptr` delimits them. */
  readonly seenItems: Int32Array;
  /** Hyperparameters used by the fit, for the record and for save/load. */
  readonly hyperparameters: Readonly<Record<string, number | string | boolean>>;
  /** Algorithm-specific arrays (e.g. SVD++ implicit item factors 'y'), saved with the model. */
  readonly extra?: Readonly<Record<string, Float32Array>>;
}
